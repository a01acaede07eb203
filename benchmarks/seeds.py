"""The seeds' score-matching methods, taken literally and with their documented variants, against PCD-5.

For each data set, variant and seed this trains one RBM (16 hidden units, Adam at 0.01 with linear decay,
batch 64, visible bias started at the data's log-odds) and reports:

* `KL` (bars and stripes): exact KL(data ‖ model) in nats; the uniform model has ln(512/14) = 3.60.
  `test LL` (digits): exact mean test log-likelihood per image (hidden layer enumerated); uniform −44.36.
* `SDE valid` / `SDE cover`: valid-pattern rate and coverage of 2000 samples drawn by the seeds' own generator,
  the reverse SDE with the model's relaxed score (`sample_relaxed`, 200 Euler–Maruyama steps, Bernoulli bits;
  for PCD-5 the relaxed v-space score of the PCD model); bars and stripes only.
* `Gibbs valid`: the same for 2000 Gibbs samples of the same RBM (200 sweeps), the seeds' one-step sampler.
* `s/run`: training seconds (one thread), the cost side of "equal compute": every variant here makes the same
  number of updates as PCD-5, each a single forward/backward pass.

Variants (`fit` keywords): `literal` is each seed as written (t ~ U(0.001, 1) on the linear schedule, λ = σ_t²,
mean field on bootstrap means of 16 rows with clamp ε = 1e-3, Gumbel with τ annealed geometrically 1 → 0.1 and
K = 1); the others change one thing each. `initial model` is where every run starts (visible bias at the
data's log-odds, W ~ N(0, 0.01²)): on bars and stripes it is the uniform model, on digits independent pixels.

A second table turns the seeds' pros/cons table into numbers, on bars and stripes at a PCD-trained model:
the relative standard deviation of the loss gradient over draws of the method's own randomness (same batch,
times and noise), the milliseconds per update, and the error of the first and second moments (pixel means,
pairwise covariances) of reverse-SDE samples of the trained models.

    python benchmarks/seeds.py                     # both tables, bas3 and digits, 3 seeds (about 15 minutes on 2 cores)
    python benchmarks/seeds.py --data bas3 --seeds 0 --quick
    python benchmarks/seeds.py --write benchmarks/seeds.md   # also write the tables (read by the tutorial)
"""
import argparse, shlex, statistics, sys, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
import torch
from rbm_diffusion.core import make_generator
from rbm_diffusion.data import load_data
from rbm_diffusion.gumbel import gumbel_score
from rbm_diffusion.losses import dsm_loss, loss_weight
from rbm_diffusion.meanfield import data_activations, score_activations
from rbm_diffusion.metrics import coverage, exact_kl, exact_nll, valid_rate
from rbm_diffusion.rbm import RBM
from rbm_diffusion.sampling import sample_gibbs, sample_relaxed
from rbm_diffusion.train import fit, fit_cd, init_visible_bias, seed_sde

DATA = {'bas3': ('bas3', 'bas3', 3000), 'digits': ('digits', 'digits-test', 3000)}  # train, evaluation, updates
LR = 1e-2
VARIANTS = {  # label: (method, fit keywords beyond the literal defaults)
    'Gumbel, literal': ('gumbel', {}),
    'Gumbel, t ≤ 0.05': ('gumbel', dict(t_max=0.05)),
    'Gumbel, λ = g(t)²': ('gumbel', dict(weighting='likelihood')),
    'Gumbel, λ = 1, t ≤ 0.05': ('gumbel', dict(weighting='unit', t_max=0.05)),
    'Gumbel, score / σ_t': ('gumbel', dict(scale='sigma')),
    'Gumbel, K = 10': ('gumbel', dict(n_samples=10)),
    'Gumbel, τ cosine 2 → 0.01': ('gumbel', dict(tau_range=(2.0, 0.01), tau_kind='cosine')),
    'mean field, literal': ('meanfield', {}),
    'mean field, per example': ('meanfield', dict(a0='example')),
    'mean field, t ≤ 0.05': ('meanfield', dict(t_max=0.05)),
    'mean field, t ≤ 0.05, per example': ('meanfield', dict(t_max=0.05, a0='example')),
    'mean field, ε = 0.1': ('meanfield', dict(eps=0.1)),
    'mean field, ε = 1e-6': ('meanfield', dict(eps=1e-6)),
    'mean field, λ = g(t)²': ('meanfield', dict(weighting='likelihood')),
    'mean field, score / σ_t': ('meanfield', dict(scale='sigma')),
    'PCD-5 (same updates)': ('pcd', {}),
    'initial model (no update)': ('none', {}),
}
N_SAMPLES, SDE_STEPS, SWEEPS = 2000, 200, 200


def train(data_name, label, seed, steps, hidden=16):
    "Train one RBM; return it and the seconds it took."
    torch.set_num_threads(1)
    method, kw = VARIANTS[label]
    data = load_data(DATA[data_name][0])
    g = make_generator(seed)
    rbm = RBM(data.shape[1], hidden, generator=g)
    t0 = time.perf_counter()
    if method == 'pcd': fit_cd(rbm, data, steps=steps, k=5, lr=LR, generator=g, progress=False)
    elif method == 'none': init_visible_bias(rbm, data)  # where every run starts: b at the data's log-odds, W ~ N(0, 0.01²)
    else: fit(rbm, data, method, steps=steps, lr=LR, generator=g, progress=False, **kw)
    return rbm, time.perf_counter() - t0


def reverse_samples(rbm, label, seed):
    "The seeds' generator for this variant: reverse SDE with the relaxed score, then Bernoulli bits."
    method, kw = VARIANTS[label]
    space = 'activation' if method == 'meanfield' else 'visible'
    return sample_relaxed(rbm, N_SAMPLES, space, steps=SDE_STEPS, scale=kw.get('scale', 'none'), generator=make_generator(seed + 1000))


def run(data_name, label, seed, steps):
    "One row's numbers for one seed."
    rbm, secs = train(data_name, label, seed, steps)
    evaluation = load_data(DATA[data_name][1])
    out = {'s': secs}
    if data_name == 'digits':
        out['test LL'] = -exact_nll(rbm, evaluation)
        return out
    out['KL'] = exact_kl(evaluation, rbm)
    s = reverse_samples(rbm, label, seed)
    out['SDE valid'], out['SDE cover'] = valid_rate(s, evaluation), coverage(s, evaluation)
    gs = sample_gibbs(rbm, n_chains=N_SAMPLES, burn_in=SWEEPS, generator=make_generator(seed + 2000)).flat()
    out['Gibbs valid'] = valid_rate(gs, evaluation)
    return out


def fmt(xs):
    if len(xs) == 1: return f"{xs[0]:.3f}"
    return f"{statistics.mean(xs):.3f} ± {statistics.stdev(xs):.3f}"


def main_table(datas, seeds, labels, steps_override, workers):
    jobs = {(d, l, s): (d, l, s, steps_override or DATA[d][2]) for d in datas for l in labels for s in seeds}
    with ProcessPoolExecutor(workers) as ex: res = dict(zip(jobs, ex.map(run, *zip(*jobs.values()))))
    lines = []
    for d in datas:
        cols = ['test LL', 's'] if d == 'digits' else ['KL', 'SDE valid', 'SDE cover', 'Gibbs valid', 's']
        lines += [f"**{d}**, {steps_override or DATA[d][2]} updates, seeds {' '.join(map(str, seeds))} (mean ± std over seeds)", '',
                  '| variant | ' + ' | '.join(c if c != 's' else 's/run' for c in cols) + ' |', '|---' * (len(cols) + 1) + '|']
        for l in labels:
            lines.append(f"| {l} | " + ' | '.join(fmt([res[d, l, s][c] for s in seeds]) for c in cols) + ' |')
        lines.append('')
    return '\n'.join(lines)


def grad_rel_std(rbm, method, data, vary, draws=50, batch=64, tau=0.1):
    "Relative std of the loss gradient over `draws`, varying only 'own' (the method's draws u) or 'noise' (the DSM noise ζ)."
    g = make_generator(0)
    sde = seed_sde()
    t = 1e-3 + (1 - 1e-3) * torch.rand(batch, generator=g)
    w = loss_weight(sde, t, 'sigma2')
    x0 = data_activations(data, batch, generator=g) if method == 'meanfield' else data[torch.randint(len(data), (batch,), generator=g)]
    grads = []
    for i in range(draws):
        x_t, _ = sde.sample_marginal(x0, t, generator=make_generator(i if vary == 'noise' else 0))
        if method == 'meanfield': score = score_activations(rbm, x_t)
        else: score = gumbel_score(rbm, x_t, tau, 1, generator=make_generator(i if vary == 'own' else 0))
        loss = dsm_loss(score, sde.conditional_score(x_t, x0, t), w).mean()
        grads.append(torch.cat([q.flatten() for q in torch.autograd.grad(loss, list(rbm.parameters()))]))
    G = torch.stack(grads)
    return (G.std(0).norm() / G.mean(0).norm()).item()


def moment_errors(samples, data):
    "Mean absolute error of the pixel means and of the pairwise covariances, samples against data."
    s, d = samples.double(), data.double()
    cov = lambda x: torch.cov(x.T)
    iu = torch.triu_indices(s.shape[1], s.shape[1], 1)
    return (s.mean(0) - d.mean(0)).abs().mean().item(), (cov(s) - cov(d))[iu[0], iu[1]].abs().mean().item()


def pros_cons(seeds, steps):
    "The seeds' pros/cons table, measured on bas3."
    torch.set_num_threads(1)
    data = load_data('bas3')
    pcd, _ = train('bas3', 'PCD-5 (same updates)', 0, steps)
    rows = {}
    for label, method in (('mean field, literal', 'meanfield'), ('Gumbel, literal', 'gumbel')):
        r = {'own': [grad_rel_std(pcd, method, data, 'own')], 'noise': [grad_rel_std(pcd, method, data, 'noise')],
             'ms/update': [], 'mean err': [], 'cov err': []}
        for seed in seeds:
            rbm, secs = train('bas3', label, seed, steps)
            r['ms/update'].append(1000 * secs / steps)
            m1, m2 = moment_errors(reverse_samples(rbm, label, seed), data)
            r['mean err'].append(m1); r['cov err'].append(m2)
        rows[label] = r
    lines = ['**The pros/cons table of the seeds, measured** (bas3; gradient spread at a PCD-5 model, one batch of 64, 50 draws; moments of 2000 reverse-SDE samples of each trained model)', '',
             '| | mean field (seed 1) | Gumbel (seed 2) |', '|---|---|---|',
             '| seed: | deterministic, first moment, one step, simple | stochastic, all moments, annealing, complex |']
    for key, what in (('own', "gradient: relative std over the method's own draws (u; τ = 0.1)"), ('noise', 'gradient: relative std over the DSM noise ζ, for scale'),
                      ('ms/update', 'ms per update (1 thread)'),
                      ('mean err', 'reverse-SDE samples: mean abs. error of pixel means'), ('cov err', 'reverse-SDE samples: mean abs. error of pair covariances')):
        lines.append(f"| {what} | " + ' | '.join(fmt(rows[l][key]) for l in rows) + ' |')
    return '\n'.join(lines) + '\n'


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--data', nargs='+', default=list(DATA), choices=list(DATA))
    p.add_argument('--seeds', nargs='+', type=int, default=[0, 1, 2])
    p.add_argument('--variants', nargs='+', default=list(VARIANTS), choices=list(VARIANTS), metavar='LABEL')
    p.add_argument('--quick', action='store_true', help='300 updates: a smoke run, not a measurement')
    p.add_argument('--workers', type=int, default=2)
    p.add_argument('--write', default=None, help='also write the tables to this markdown file')
    a = p.parse_args()
    steps = 300 if a.quick else None
    t0 = time.perf_counter()
    text = main_table(a.data, a.seeds, a.variants, steps, a.workers)
    if 'bas3' in a.data: text += '\n' + pros_cons(a.seeds, steps or DATA['bas3'][2])
    argv = sys.argv[1:]
    if '--write' in argv: i = argv.index('--write'); argv = argv[:i] + argv[i + 2:]
    text += f"\n`{shlex.join(['python', 'benchmarks/seeds.py', *argv])}`, {time.perf_counter() - t0:.0f} s on {a.workers} workers\n"
    print(text)
    if a.write: Path(a.write).write_text(text)


if __name__ == '__main__':
    main()
