"""Property-based checks of the maths against independent oracles (hypothesis)."""
import itertools
import numpy as np
import torch
from hypothesis import given, settings, strategies as st
from scipy.integrate import quad
from rbm_diffusion.core import state_index, states_from_index
from rbm_diffusion.rbm import random_rbm
from rbm_diffusion.sde import LinearSchedule, CosineSchedule, SNRSchedule, VPSDE

def rbm_for(nv, nh, seed, scale): return random_rbm(nv, nh, scale, torch.Generator().manual_seed(seed), torch.float64)

sizes = st.integers(1, 5)
@settings(max_examples=30, deadline=None)
@given(nv=sizes, nh=sizes, seed=st.integers(0, 10**6), scale=st.floats(0.1, 4.0))
def test_free_energy_and_log_z_by_brute_force(nv, nh, seed, scale):
    m = rbm_for(nv, nh, seed, scale)
    W, b, c = (p.detach().numpy() for p in (m.W, m.b, m.c))
    V = np.array(list(itertools.product([0, 1], repeat=nv)), float)
    Hs = np.array(list(itertools.product([0, 1], repeat=nh)), float)
    E = -(V @ W @ Hs.T) - (V @ b)[:, None] - (Hs @ c)[None, :]  # (2^nv, 2^nh) energies
    mx = (-E).max()
    F_ref = -(np.log(np.exp(-E - mx).sum(1)) + mx)
    logz_ref = np.log(np.exp(-E - mx).sum()) + mx
    np.testing.assert_allclose(m.free_energy(torch.from_numpy(V)).detach().numpy(), F_ref, rtol=1e-10, atol=1e-10)
    assert abs(m.log_z().item() - logz_ref) < 1e-9

@settings(max_examples=30, deadline=None)
@given(nv=st.integers(1, 8), nh=st.integers(1, 8), seed=st.integers(0, 10**6), scale=st.floats(0.1, 4.0))
def test_score_matches_autograd(nv, nh, seed, scale):
    m = rbm_for(nv, nh, seed, scale)
    x = torch.randn(5, nv, dtype=torch.float64, generator=torch.Generator().manual_seed(seed), requires_grad=True)
    g, = torch.autograd.grad(-m.free_energy(x).sum(), x)
    torch.testing.assert_close(m.score(x), g, rtol=1e-10, atol=1e-10)

schedules = st.one_of(
    st.builds(LinearSchedule, beta_min=st.floats(0.01, 1.0), beta_max=st.floats(1.0, 30.0), T=st.floats(0.5, 2.0)),
    st.builds(CosineSchedule, s=st.floats(1e-3, 0.1), T=st.floats(0.5, 2.0)),
    st.builds(SNRSchedule, log_snr_max=st.floats(2.0, 12.0), log_snr_min=st.floats(-12.0, -2.0), T=st.floats(0.5, 2.0)))

@settings(max_examples=40, deadline=None)
@given(sch=schedules, frac=st.floats(0.0, 1.0))
def test_schedule_integral_by_quadrature(sch, frac):
    t = frac * sch.T
    ref = quad(lambda s: float(sch.beta(torch.tensor(s, dtype=torch.float64))), 0, t, epsabs=1e-12, epsrel=1e-12)[0]
    assert abs(float(sch.integral(torch.tensor(t, dtype=torch.float64))) - ref) < 1e-8 * max(1.0, ref)

@settings(max_examples=40, deadline=None)
@given(sch=schedules, frac=st.floats(0.01, 1.0))
def test_variance_preserving(sch, frac):
    sde, t = VPSDE(sch), torch.tensor(frac * sch.T, dtype=torch.float64)
    assert abs(float(sde.alpha(t)**2 + sde.sigma(t)**2) - 1) < 1e-12

@given(n=st.integers(1, 20), ks=st.lists(st.integers(0, 2**20 - 1), min_size=1, max_size=20))
def test_state_index_round_trip(n, ks):
    k = torch.tensor([x % 2**n for x in ks])
    assert torch.equal(state_index(states_from_index(k, n)), k)

@settings(max_examples=30, deadline=None)
@given(nv=st.integers(1, 6), nh=st.integers(1, 6), seed=st.integers(0, 10**6), scale=st.floats(0.1, 3.0),
       log_snr=st.floats(-6.0, 8.0))
def test_tweedie_score_is_the_gradient_of_the_noised_density(nv, nh, seed, scale, log_snr):
    "Exact posterior mean through Tweedie's formula vs numpy: Bayes' rule over all v and autograd of ln p_t."
    from rbm_diffusion.posterior import posterior_mean, tweedie_score
    m = rbm_for(nv, nh, seed, scale)
    a = torch.full((3,), float(np.sqrt(1 / (1 + np.exp(-log_snr)))), dtype=torch.float64)
    s = torch.sqrt(1 - a**2)
    gen = torch.Generator().manual_seed(seed)
    x = (a[:, None] * torch.randint(0, 2, (3, nv), generator=gen).double() + s[:, None] * torch.randn(3, nv, dtype=torch.float64, generator=gen)).requires_grad_()
    V = torch.tensor(list(itertools.product([0, 1], repeat=nv)), dtype=torch.float64)
    log_pv = m.log_prob(V).detach()
    log_joint = log_pv + (-((x[:, None, :] - a[:, None, None] * V) ** 2).sum(-1) / (2 * s[:, None] ** 2))  # (3, 2^nv) up to a constant
    post = torch.softmax(log_joint, -1)
    ref_mean = post.detach() @ V
    ref_score, = torch.autograd.grad(torch.logsumexp(log_joint, -1).sum(), x)
    with torch.no_grad():
        mean = posterior_mean(m, x, a, s)
        torch.testing.assert_close(mean, ref_mean, rtol=1e-9, atol=1e-9)
        torch.testing.assert_close(tweedie_score(mean, x, a, s), ref_score, rtol=1e-7, atol=1e-7 * float(ref_score.abs().max() + 1))
