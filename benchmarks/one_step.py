"""The RBM as a one-step sampler: wall time and sample quality of block Gibbs, D-Wave's simulated
annealer at β = 1, and the exact sampler, for one trained model.

The model is trained here by PCD-5 (the baseline) on bars and stripes 4×4 or the binarised digits,
16 hidden units, seed 0; or loaded with --model. Each sampler draws n samples (independent chains
from uniform random states, so the sweep count is the burn-in). Quality is the plug-in estimate of
KL(samples ‖ model) = Σ p̂ ln(p̂ / p_θ) over the sampled states, with p_θ exact (the hidden layer is
enumerated); with finite n it is biased upwards, so the exact sampler's value at the same n is the
floor that a perfect sampler reaches. Medians over sampling seeds, measured in one run.

The reverse-SDE rows of the seeds' comparison (one step vs hundreds of steps) need the diffusion
score of the trained RBM, which the posterior-mean issue builds; they will be added to this table.

    python benchmarks/one_step.py [--data bas4|digits] [--n 10000] [--seeds 0 1 2] [--model M.safetensors] [--plot FIG.png]
"""
import argparse, statistics, time
import torch
from rbm_diffusion.checkpoint import load_checkpoint
from rbm_diffusion.core import make_generator
from rbm_diffusion.data import load_data
from rbm_diffusion.dwave import sample_sa
from rbm_diffusion.metrics import coverage, valid_rate
from rbm_diffusion.rbm import RBM
from rbm_diffusion.sampling import sample_gibbs
from rbm_diffusion.train import fit_cd

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
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--plot', default=None, help='save a figure of KL against wall time here')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    data = load_data(a.data)
    if a.model: rbm, _ = load_checkpoint(a.model)
    else:
        g = make_generator(0); rbm = RBM(data.shape[1], 16, generator=g)
        t0 = time.perf_counter()
        fit_cd(rbm, data, steps=6000 if a.data != 'digits' else 8000, k=5, persistent=True, generator=g, progress=False)
        print(f"trained PCD-5 on {a.data} in {time.perf_counter() - t0:.1f} s")
    with torch.no_grad(): log_z = rbm.log_z()
    binary_patterns = a.data.startswith('bas')
    configs = [('exact', 0)] + [('gibbs', k) for k in a.sweeps] + [('dwave-sa', k) for k in a.sweeps]
    print(f"{a.data}: {rbm.n_visible} visible, {rbm.n_hidden} hidden; n = {a.n} samples per run; seeds {a.seeds}; {a.threads} thread(s)")
    hdr = f"{'sampler':9s} {'sweeps':>6s} {'seconds':>8s} {'samples/s':>10s} {'KL(samples‖model)':>18s} {'sd':>6s}"
    print(hdr + ("  valid  coverage" if binary_patterns else ""))
    floor, curves = None, {}
    for name, k in configs:
        ts, kls, vr, cv = [], [], [], []
        for seed in a.seeds:
            t0 = time.perf_counter()
            if name == 'exact': s = rbm.sample_exact(a.n, generator=make_generator(seed))
            elif name == 'gibbs': s = sample_gibbs(rbm, n_chains=a.n, burn_in=k - 1, generator=make_generator(seed)).flat()
            else: s = sample_sa(rbm, a.n, num_sweeps=k, seed=seed)
            ts.append(time.perf_counter() - t0)
            kls.append(sample_kl(s, rbm, log_z))
            if binary_patterns: vr.append(valid_rate(s, data)); cv.append(coverage(s, data))
        kl = statistics.median(kls)
        if name == 'exact': floor = kl
        curves.setdefault(name, []).append((statistics.median(ts), kl, k))
        line = f"{name:9s} {k:6d} {statistics.median(ts):8.3f} {a.n / statistics.median(ts):10.0f} {kl:18.4f} {statistics.stdev(kls) if len(kls) > 1 else 0:6.4f}"
        print(line + (f"  {statistics.median(vr):5.3f}  {statistics.median(cv):8.3f}" if binary_patterns else ""), flush=True)
    print(f"floor: the exact sampler's KL at n = {a.n} is {floor:.4f} (finite-sample bias); a sampler is as good as exact when it reaches it")
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
        ax.set_title(f'{a.data}: quality against time (labels: sweeps)', fontsize=9); ax.legend(fontsize=8); fig.tight_layout()
        fig.savefig(a.plot)

if __name__ == '__main__':
    main()
