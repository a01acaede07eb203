"""The RBM as a one-step sampler: wall time and sample quality of block Gibbs, D-Wave's simulated
annealer at β = 1 and the exact sampler, against the diffusion model's reverse SDE, for one trained model.

The model is trained here (16 hidden units, seed 0) by PCD-5 or by posterior DSM (`--method posterior`,
the exact estimator when the smaller layer has ≤ 10 units, else gibbs), or loaded with --model. Each sampler draws n samples (independent chains
from uniform random states, so the sweep count is the burn-in). Quality is the plug-in estimate of
KL(samples ‖ model) = Σ p̂ ln(p̂ / p_θ) over the sampled states, with p_θ exact (the hidden layer is
enumerated); with finite n it is biased upwards, so the exact sampler's value at the same n is the
floor that a perfect sampler reaches. Medians over sampling seeds, measured in one run.

The reverse-SDE rows integrate the diffusion model of the same RBM (its exact score, eq. P.2, with the
posterior mean from each --estimators) for each --sde-steps Euler–Maruyama steps; with `gibbs` one chain per
sample is carried along the trajectory (started by 100 model sweeps, --sde-k sweeps per step). Those rows answer the seeds' question
(one step vs hundreds of steps) and check that both routes sample the same distribution.

    python benchmarks/one_step.py [--data bas3|bas4|digits] [--method pcd|posterior] [--n 10000] [--seeds 0 1 2]
                                  [--estimators exact gibbs meanfield] [--sde-steps 30 100 300] [--model M.safetensors] [--plot FIG.png]
"""
import argparse, statistics, time
import torch
from rbm_diffusion.checkpoint import load_checkpoint
from rbm_diffusion.core import make_generator
from rbm_diffusion.data import load_data
from rbm_diffusion.dwave import sample_sa
from rbm_diffusion.metrics import coverage, valid_rate
from rbm_diffusion.rbm import RBM
from rbm_diffusion.sampling import sample_gibbs, sample_reverse_sde
from rbm_diffusion.train import fit_cd, fit_posterior

def sample_kl(samples, rbm, log_z):
    "Plug-in KL(p̂ ‖ p_θ) over the distinct sampled states, p_θ exact."
    uniq, counts = torch.unique(samples, dim=0, return_counts=True)
    p_hat = counts.double() / counts.sum()
    with torch.no_grad(): log_p = rbm.log_prob(uniq, log_z)
    return (p_hat * (p_hat.log() - log_p)).sum().item()

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--data', default='bas4', choices=['bas3', 'bas4', 'digits'])
    ap.add_argument('--model', default=None, help='a checkpoint; trained here by PCD-5 when absent')
    ap.add_argument('--n', type=int, default=10_000)
    ap.add_argument('--seeds', nargs='+', type=int, default=[0, 1, 2])
    ap.add_argument('--sweeps', nargs='+', type=int, default=[1, 3, 10, 30, 100, 300])
    ap.add_argument('--method', default='pcd', choices=['pcd', 'posterior'], help='how the model is trained when --model is absent')
    ap.add_argument('--estimators', nargs='*', default=['exact', 'gibbs', 'meanfield'], help='posterior-mean estimators of the reverse-SDE rows')
    ap.add_argument('--sde-steps', nargs='*', type=int, default=[30, 100, 300])
    ap.add_argument('--sde-k', type=int, default=1, help='posterior Gibbs sweeps per SDE step for sde/gibbs')
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--plot', default=None, help='save a figure of KL against wall time here')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    data = load_data(a.data)
    if a.model: rbm, _ = load_checkpoint(a.model)
    else:
        g = make_generator(0); rbm = RBM(data.shape[1], 16, generator=g)
        t0 = time.perf_counter()
        steps = {'bas3': 3000, 'bas4': 6000, 'digits': 8000}[a.data]
        if a.method == 'pcd': fit_cd(rbm, data, steps=steps, k=5, persistent=True, generator=g, progress=False); label = 'PCD-5'
        else:
            est = 'exact' if min(rbm.n_visible, rbm.n_hidden) <= 10 else 'gibbs'
            fit_posterior(rbm, data, steps=steps, estimator=est, generator=g, progress=False); label = f'posterior/{est}'
        print(f"trained {label} on {a.data} in {time.perf_counter() - t0:.1f} s")
    with torch.no_grad(): log_z = rbm.log_z()
    binary_patterns = a.data.startswith('bas')
    configs = [('exact', 0)] + [('gibbs', k) for k in a.sweeps] + [('dwave-sa', k) for k in a.sweeps]
    configs += [(f'sde/{e}', k) for e in a.estimators for k in a.sde_steps if e != 'exact' or min(rbm.n_visible, rbm.n_hidden) <= 10]
    print(f"{a.data}: {rbm.n_visible} visible, {rbm.n_hidden} hidden; n = {a.n} samples per run; seeds {a.seeds}; {a.threads} thread(s)")
    hdr = f"{'sampler':14s} {'steps':>6s} {'seconds':>8s} {'samples/s':>10s} {'KL(samples‖model)':>18s} {'sd':>6s}"
    print(hdr + ("  valid  coverage" if binary_patterns else ""))
    floor, curves = None, {}
    for name, k in configs:
        ts, kls, vr, cv = [], [], [], []
        for seed in a.seeds:
            t0 = time.perf_counter()
            if name == 'exact': s = rbm.sample_exact(a.n, generator=make_generator(seed))
            elif name == 'gibbs': s = sample_gibbs(rbm, n_chains=a.n, burn_in=k - 1, generator=make_generator(seed)).flat()
            elif name == 'dwave-sa': s = sample_sa(rbm, a.n, num_sweeps=k, seed=seed)
            else: s = sample_reverse_sde(rbm, a.n, name.split('/')[1], steps=k, k=a.sde_k, generator=make_generator(seed))
            ts.append(time.perf_counter() - t0)
            kls.append(sample_kl(s, rbm, log_z))
            if binary_patterns: vr.append(valid_rate(s, data)); cv.append(coverage(s, data))
        kl = statistics.median(kls)
        if name == 'exact': floor = kl
        curves.setdefault(name, []).append((statistics.median(ts), kl, k))
        line = f"{name:14s} {k:6d} {statistics.median(ts):8.3f} {a.n / statistics.median(ts):10.0f} {kl:18.4f} {statistics.stdev(kls) if len(kls) > 1 else 0:6.4f}"
        print(line + (f"  {statistics.median(vr):5.3f}  {statistics.median(cv):8.3f}" if binary_patterns else ""), flush=True)
    print(f"floor: the exact sampler's KL at n = {a.n} is {floor:.4f} (finite-sample bias); a sampler is as good as exact when it reaches it")
    print("steps: sweeps for gibbs and dwave-sa (the burn-in of independent chains), Euler–Maruyama steps for sde/* (each runs the estimator once)")
    if a.plot:
        import matplotlib; matplotlib.use('Agg')
        import matplotlib.pyplot as plt
        fig, ax = plt.subplots(figsize=(5.5, 3.2), dpi=90)
        for name, pts in curves.items():
            t, kl, k = zip(*pts)
            ax.plot(t, kl, 'o-' if name != 'exact' else '*', ms=5 if name != 'exact' else 12, label=name)
            if name != 'exact':
                for ti, ki, kk in zip(t, kl, k): ax.annotate(str(kk), (ti, ki), fontsize=6, xytext=(2, 2), textcoords='offset points')
        ax.axhline(floor, color='0.6', ls='--', lw=1, label='exact sampler (floor)')
        ax.set_xscale('log'); ax.set_yscale('log'); ax.set_xlabel(f'seconds for {a.n} samples'); ax.set_ylabel('KL(samples ‖ model), nats')
        ax.set_title(f'{a.data}: quality against time (labels: sweeps or SDE steps)', fontsize=9); ax.legend(fontsize=8); fig.tight_layout()
        fig.savefig(a.plot)

if __name__ == '__main__':
    main()
