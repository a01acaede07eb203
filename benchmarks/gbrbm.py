"""Gaussian–Bernoulli RBMs on real data: DSM with the exact noised score against CD/PCD, and the seeds' DSM.

For each data set, method and seed this trains one GB-RBM on the standardised training set (Adam at 1e-2 with
linear decay, batch 64, gradient norm clipped at 10, `fit_gaussian` defaults) and reports:

* `test LL`: the exact mean test log-likelihood per example in the data's own units (digits: dequantised pixels in (0, 1)) (the hidden layer enumerated;
  the standardisation's log-determinant added back);
* `MMD SDE–Gibbs`: MMD between 2000 reverse-SDE samples (exact noised score, 200 Euler–Maruyama steps) and 2000
  Gibbs samples (500 sweeps) of the same model, in standardised units; `MMD Gibbs–exact` is the same statistic
  between Gibbs and exact samples, the noise floor it should be compared with (both are clipped at 0);
  `MMD SDE–test` compares the reverse-SDE samples with the test set (model quality, not sampler quality);
* `s/run`: training seconds (one thread per worker).

Targets (issue 6): posterior DSM within 1 nat per example of PCD of the same size; reverse-SDE and Gibbs samples
matching each other in MMD (at the Gibbs–exact floor).

    python benchmarks/gbrbm.py                          # all sets, 3 seeds (about 10 minutes on 2 cores)
    python benchmarks/gbrbm.py --data moons --seeds 0 --quick
"""
import argparse, shlex, statistics, sys, time
from concurrent.futures import ProcessPoolExecutor
import torch
from rbm_diffusion.core import make_generator
from rbm_diffusion.data import load_data
from rbm_diffusion.gbrbm import GB_METHODS, GBRBM, fit_gaussian, sample_reverse_gaussian
from rbm_diffusion.metrics import mmd

DATA = {'moons': 8, 'rings': 8, 'gaussians8': 8, 'digits-real': 10}  # name: hidden units (the exact noised score enumerates 2^H)
STEPS = 3000
N_SAMPLES, SDE_STEPS, SWEEPS = 2000, 200, 500


def run(name, method, seed, steps):
    "Train one model; return its numbers."
    torch.set_num_threads(1)
    raw, raw_test = load_data(name, binary=False), load_data(name + '-test', binary=False)
    mean, std = raw.mean(0), raw.std(0).clamp_min(1e-3)
    train, test = (raw - mean) / std, (raw_test - mean) / std
    g = make_generator(seed)
    gb = GBRBM(train.shape[1], DATA[name], generator=g)
    t0 = time.perf_counter()
    fit_gaussian(gb, train, method, steps=steps, generator=g, progress=False)
    out = {'s': time.perf_counter() - t0}
    with torch.no_grad(): out['test LL'] = gb.log_prob(test).mean().item() - std.log().sum().item()
    gs = make_generator(seed + 1000)
    gibbs = gb.gibbs(torch.randn(N_SAMPLES, gb.n_visible, generator=gs), SWEEPS, gs)
    rev = sample_reverse_gaussian(gb, N_SAMPLES, steps=SDE_STEPS, generator=gs)
    exact = gb.sample_exact(N_SAMPLES, generator=gs)
    out['MMD SDE–Gibbs'], out['MMD Gibbs–exact'] = mmd(rev, gibbs), mmd(gibbs, exact)
    out['MMD SDE–test'] = mmd(rev, test[:N_SAMPLES])
    return out


def fmt(xs): return f"{xs[0]:.3f}" if len(xs) == 1 else f"{statistics.mean(xs):.3f} ± {statistics.stdev(xs):.3f}"


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--data', nargs='+', default=list(DATA), choices=list(DATA))
    p.add_argument('--methods', nargs='+', default=list(GB_METHODS), choices=list(GB_METHODS))
    p.add_argument('--seeds', nargs='+', type=int, default=[0, 1, 2])
    p.add_argument('--quick', action='store_true', help='300 updates: a smoke run, not a measurement')
    p.add_argument('--workers', type=int, default=2)
    a = p.parse_args()
    steps = 300 if a.quick else STEPS
    t0 = time.perf_counter()
    jobs = [(d, m, s, steps) for d in a.data for m in a.methods for s in a.seeds]
    with ProcessPoolExecutor(a.workers) as ex: res = dict(zip([j[:3] for j in jobs], ex.map(run, *zip(*jobs))))
    cols = ['test LL', 'MMD SDE–Gibbs', 'MMD Gibbs–exact', 'MMD SDE–test', 's']
    lines = [f"{steps} updates, seeds {' '.join(map(str, a.seeds))} (mean ± std over seeds)", '',
             '| data (H) | method | ' + ' | '.join(c if c != 's' else 's/run' for c in cols) + ' | gap to PCD |', '|---' * (len(cols) + 3) + '|']
    for d in a.data:
        for m in a.methods:
            gap = ''
            if 'pcd' in a.methods:
                gaps = [res[d, 'pcd', s]['test LL'] - res[d, m, s]['test LL'] for s in a.seeds]
                gap = fmt(gaps)
            lines.append(f"| {d} ({DATA[d]}) | {m} | " + ' | '.join(fmt([res[d, m, s][c] for s in a.seeds]) for c in cols) + f" | {gap} |")
    lines += ['', f"`{shlex.join(['python', 'benchmarks/gbrbm.py', *sys.argv[1:]])}`, {time.perf_counter() - t0:.0f} s on {a.workers} workers"]
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
