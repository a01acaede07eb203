"""Contrastive-divergence baselines: exact quality of CD-k and PCD-k RBMs over seeds.

Every later training method is compared against this table. For each data set, method and learning
rate it trains one RBM per seed with the same number of updates and reports the exact metric:
KL(data ‖ model) in nats for bars and stripes (all rows enumerable), and the exact mean test
log-likelihood per image for the binarised digits (hidden layer enumerated). Adam, batch 64,
learning rate decayed linearly to 0, visible bias started at the data's log-odds.

    python benchmarks/baselines.py                  # full table (about 10 minutes on 2 cores)
    python benchmarks/baselines.py --quick          # a smoke run in seconds
    python benchmarks/baselines.py --data bas3 --seeds 0 1 2 3 4 --json out.json
"""
import argparse, json, statistics, time
import torch
from rbm_diffusion.core import make_generator
from rbm_diffusion.data import load_data
from rbm_diffusion.metrics import exact_kl, exact_nll
from rbm_diffusion.rbm import RBM
from rbm_diffusion.train import fit_cd

DATA = {  # name: (training set, evaluation set, metric, updates)
    'bas3': ('bas3', 'bas3', 'kl', 3000),
    'bas4': ('bas4', 'bas4', 'kl', 6000),
    'digits': ('digits', 'digits-test', 'test_ll', 8000),
}
METHODS = {'CD-1': (1, False), 'CD-5': (5, False), 'PCD-1': (1, True), 'PCD-5': (5, True)}

def run(data_name, method, lr, seed, hidden, steps):
    train_name, eval_name, metric, _ = DATA[data_name]
    train, test = load_data(train_name), load_data(eval_name)
    k, persistent = METHODS[method]
    g = make_generator(seed)
    rbm = RBM(train.shape[1], hidden, generator=g)
    t0 = time.perf_counter()
    fit_cd(rbm, train, steps=steps, k=k, persistent=persistent, lr=lr, generator=g, progress=False)
    secs = time.perf_counter() - t0
    value = exact_kl(test, rbm) if metric == 'kl' else -exact_nll(rbm, test)
    return value, secs

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--data', nargs='+', default=list(DATA), choices=list(DATA))
    ap.add_argument('--methods', nargs='+', default=list(METHODS), choices=list(METHODS))
    ap.add_argument('--lr', nargs='+', type=float, default=[1e-2, 3e-2])
    ap.add_argument('--seeds', nargs='+', type=int, default=[0, 1, 2])
    ap.add_argument('--hidden', type=int, default=16)
    ap.add_argument('--steps', type=int, default=None, help='updates (default: per data set)')
    ap.add_argument('--quick', action='store_true', help='bas3 only, 300 updates, 2 seeds')
    ap.add_argument('--json', default=None, help='also write the rows to this file')
    a = ap.parse_args()
    if a.quick: a.data, a.seeds, a.steps = ['bas3'], [0, 1], 300
    torch.set_num_threads(1)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread, hidden {a.hidden}, seeds {a.seeds}, Adam with linear lr decay, batch 64")
    print(f"{'data':7s} {'metric':8s} {'method':6s} {'lr':>6s} {'steps':>6s} {'mean':>8s} {'sd':>6s} {'min':>8s} {'max':>8s} {'s/run':>6s}  per seed")
    rows = []
    for d in a.data:
        steps = a.steps or DATA[d][3]
        for lr in a.lr:
            for m in a.methods:
                vals, secs = zip(*(run(d, m, lr, s, a.hidden, steps) for s in a.seeds))
                sd = statistics.stdev(vals) if len(vals) > 1 else 0.0
                rows.append(dict(data=d, metric=DATA[d][2], method=m, lr=lr, steps=steps, hidden=a.hidden, seeds=a.seeds,
                                 values=list(vals), mean=statistics.mean(vals), sd=sd, seconds_median=statistics.median(secs)))
                print(f"{d:7s} {DATA[d][2]:8s} {m:6s} {lr:6.0e} {steps:6d} {statistics.mean(vals):8.3f} {sd:6.3f} {min(vals):8.3f} {max(vals):8.3f} {statistics.median(secs):6.1f}  "
                      + ' '.join(f"{v:.3f}" for v in vals), flush=True)
    if a.json:
        with open(a.json, 'w') as f: json.dump(rows, f, indent=1)
    print("metric: kl = exact KL(data ‖ model) in nats, lower is better; test_ll = exact mean test log-likelihood per image in nats, higher is better")

if __name__ == '__main__':
    main()
