"""Block-Gibbs throughput: sweeps per second, and the share of this machine's matrix-multiply rate.

A sweep v → h → v costs two matrix products, (chains × N)·(N × H) and (chains × H)·(H × N), about
4·chains·N·H floating-point operations, plus sigmoids and one uniform draw per unit (linear in
chains·(N + H)). The table gives, for several sizes, the sweep rate, the GFLOP/s it implies, the
GFLOP/s of the two bare matrix products of the same shapes, and their ratio: the share of a sweep's
time that is matrix multiplication. Medians over repeats, measured in one run.

    python benchmarks/gibbs_throughput.py [--threads T] [--device cpu|cuda] [--repeats R]
"""
import argparse, statistics, time
import torch
from rbm_diffusion.core import make_generator, resolve_device
from rbm_diffusion.rbm import RBM
from rbm_diffusion.sampling import gibbs_sweep

SIZES = [(4096, 64, 64), (4096, 256, 256), (1024, 784, 500), (256, 784, 500), (8192, 784, 500)]

def timed(f, repeats, sync):
    f(); sync()
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter(); f(); sync(); out.append(time.perf_counter() - t0)
    return statistics.median(out)

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--threads', type=int, default=torch.get_num_threads())
    ap.add_argument('--device', default='cpu')
    ap.add_argument('--repeats', type=int, default=15)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    dev = resolve_device(a.device)
    sync = torch.cuda.synchronize if dev.type == 'cuda' else (lambda: None)
    g = make_generator(0, dev)
    print(f"torch {torch.__version__}, device {dev}, {a.threads} threads, float32, median of {a.repeats}")
    print(f"{'chains':>6s} {'N':>4s} {'H':>4s} {'sweeps/s':>9s} {'sweep GFLOP/s':>14s} {'matmul GFLOP/s':>15s} {'ratio':>6s}")
    for B, N, H in SIZES:
        rbm = RBM(N, H, init_std=0.05, generator=g, device=dev)
        v = torch.bernoulli(torch.full((B, N), 0.5, device=dev), generator=g)
        h = torch.bernoulli(torch.full((B, H), 0.5, device=dev), generator=g)
        W = rbm.W.detach()
        with torch.no_grad():
            t_sweep = timed(lambda: gibbs_sweep(rbm, v, 1.0, g), a.repeats, sync)
            t_mm = timed(lambda: (v @ W, h @ W.T), a.repeats, sync)
        flop = 4 * B * N * H
        print(f"{B:6d} {N:4d} {H:4d} {1 / t_sweep:9.1f} {flop / t_sweep / 1e9:14.1f} {flop / t_mm / 1e9:15.1f} {t_mm / t_sweep:6.2f}", flush=True)

if __name__ == '__main__':
    main()
