"""The `rbm-diffusion` command end to end, through the installed entry point."""
import itertools, json, os, shutil, subprocess, sys
from pathlib import Path
import numpy as np
import pytest
from safetensors.numpy import load_file, save_file

EXE = shutil.which('rbm-diffusion', path=str(Path(sys.executable).parent)) or shutil.which('rbm-diffusion')

def cli(*args):
    env = dict(os.environ, OMP_NUM_THREADS='1', MPLBACKEND='Agg')
    return subprocess.run([EXE, *map(str, args)], capture_output=True, text=True, env=env)

@pytest.fixture(scope='module')
def model(tmp_path_factory):
    d = tmp_path_factory.mktemp('cli')
    r = cli('train', '--data', 'bas3', '--method', 'pcd', '--hidden', '6', '--steps', '300', '--out', d / 'm.safetensors', '--quiet')
    assert r.returncode == 0, r.stderr
    return d / 'm.safetensors'

def brute_force_nll(path, data):
    "Mean -ln p(v) from the checkpoint's raw tensors, summing exp(-E) over every joint state in numpy."
    t = load_file(str(path)); W, b, c = (t[k].astype(np.float64) for k in 'Wbc')
    V = np.array(list(itertools.product([0, 1], repeat=W.shape[0])), float)
    Hs = np.array(list(itertools.product([0, 1], repeat=W.shape[1])), float)
    negE = V @ W @ Hs.T + (V @ b)[:, None] + (Hs @ c)[None, :]
    mx = negE.max(); logz = np.log(np.exp(negE - mx).sum()) + mx
    logp_v = np.log(np.exp(negE - mx).sum(1)) + mx - logz
    idx = (data.astype(int) * 2 ** np.arange(W.shape[0] - 1, -1, -1)).sum(1)
    return -logp_v[idx].mean(), logz

def load_file_metadata(path):
    from safetensors import safe_open
    with safe_open(str(path), 'np') as f: return f.metadata()

def bas3():
    from rbm_diffusion.data import bars_and_stripes
    return bars_and_stripes(3).numpy()

def test_train_sample_evaluate(model, tmp_path):
    for sampler in ('gibbs', 'exact', 'dwave-sa'):
        r = cli('sample', '--model', model, '--sampler', sampler, '--n', '400', '--sweeps', '30', '--out', tmp_path / f'{sampler}.npy', '--quiet')
        assert r.returncode == 0, r.stderr
        s = np.load(tmp_path / f'{sampler}.npy')
        assert s.shape == (400, 9) and set(np.unique(s)) <= {0, 1}
    r = cli('evaluate', '--model', model, '--data', 'bas3', '--samples', tmp_path / 'exact.npy', '--json')
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert {'n_visible', 'n_hidden', 'nll', 'log_z', 'log_z_method', 'exact_kl', 'valid_rate', 'coverage', 'mmd'} <= set(res)
    assert (res['n_visible'], res['n_hidden'], res['log_z_method']) == (9, 6, 'exact')
    nll, logz = brute_force_nll(model, bas3())
    assert abs(res['nll'] - nll) < 1e-6 and abs(res['log_z'] - logz) < 1e-6
    assert abs(res['exact_kl'] - (nll - np.log(14))) < 1e-6  # 14 distinct rows, each once
    assert 0 <= res['valid_rate'] <= 1 and 0 <= res['coverage'] <= 1

def test_evaluate_file_data_with_duplicates(model, tmp_path):
    data = np.concatenate([bas3(), bas3()[:4]])
    np.savetxt(tmp_path / 'd.csv', data, delimiter=',', fmt='%d')
    r = cli('evaluate', '--model', model, '--data', tmp_path / 'd.csv', '--json')
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    nll, _ = brute_force_nll(model, data)
    p = np.array([2] * 4 + [1] * 10) / len(data)
    assert abs(res['nll'] - nll) < 1e-6 and abs(res['exact_kl'] - (nll + (p * np.log(p)).sum())) < 1e-6

def _write_bad(tmp_path):
    np.save(tmp_path / 'half.npy', np.full((3, 9), 0.5))
    np.save(tmp_path / 'nan.npy', np.array([[0.0] * 9, [np.nan] + [0.0] * 8]))
    np.save(tmp_path / 'wide.npy', np.zeros((3, 10)))
    (tmp_path / 'ragged.csv').write_text('0,1,0,1,0,1,0,1,0\n0,1\n')
    (tmp_path / 'empty.csv').write_text('')

BAD = {
    'non-binary': (['train', '--data', '{d}/half.npy', '--method', 'cd', '--out', '{d}/out.safetensors'], 'half.npy: row 1, column 1 is 0.5'),
    'nan': (['train', '--data', '{d}/nan.npy', '--method', 'cd', '--out', '{d}/out.safetensors'], 'row 2, column 1 is nan'),
    'ragged': (['train', '--data', '{d}/ragged.csv', '--method', 'pcd', '--out', '{d}/out.safetensors'], 'row 2 (line 2) has 2 values, expected 9'),
    'empty': (['train', '--data', '{d}/empty.csv', '--method', 'pcd', '--out', '{d}/out.safetensors'], 'the file is empty'),
    'unknown data': (['train', '--data', 'bas7', '--method', 'pcd', '--out', '{d}/out.safetensors'], "unknown data set 'bas7'"),
    'bad suffix': (['train', '--data', 'bas3', '--method', 'pcd', '--out', '{d}/out.pt'], '--out must be a .safetensors file'),
    'no folder': (['train', '--data', 'bas3', '--method', 'pcd', '--steps', '5', '--out', '{d}/nowhere/out.safetensors'], 'does not exist'),
    'wrong width': (['evaluate', '--model', '{m}', '--data', '{d}/wide.npy'], 'rows have 10 values but the model has 9'),
    'wrong width samples': (['evaluate', '--model', '{m}', '--data', 'bas3', '--samples', '{d}/wide.npy'], 'rows have 10 values but the model has 9'),
    'missing model': (['sample', '--model', '{d}/none.safetensors', '--out', '{d}/out.npy'], 'no such checkpoint file'),
    'not a checkpoint': (['sample', '--model', '{d}/half.npy', '--out', '{d}/out.npy'], 'not a readable .safetensors file'),
    'zero samples': (['sample', '--model', '{m}', '--n', '0', '--out', '{d}/out.npy'], '--n must be >= 1'),
    'negative beta': (['sample', '--model', '{m}', '--sampler', 'gibbs', '--beta', '0', '--out', '{d}/out.npy'], 'beta must be a finite number > 0'),
    'zero sweeps': (['sample', '--model', '{m}', '--sampler', 'dwave-sa', '--sweeps', '0', '--out', '{d}/out.npy'], '--sweeps must be >= 1'),
    'no qpu': (['sample', '--model', '{m}', '--sampler', 'dwave-qpu', '--out', '{d}/out.npy'], 'run `dwave config create`'),
    'no cuda': (['sample', '--model', '{m}', '--device', 'cuda', '--out', '{d}/out.npy'], 'CUDA is not available'),
}

@pytest.mark.parametrize('case', list(BAD))
def test_bad_input(case, model, tmp_path):
    if case == 'no qpu':
        from rbm_diffusion.dwave import qpu_configured
        if qpu_configured(): pytest.skip('a QPU is configured here')
    if case == 'no cuda':
        import torch
        if torch.cuda.is_available(): pytest.skip('CUDA present')
    _write_bad(tmp_path)
    argv, msg = BAD[case]
    r = cli(*[a.format(d=tmp_path, m=model) for a in argv])
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert msg in r.stderr and r.stderr.startswith('rbm-diffusion: error:') and r.stderr.count('\n') == 1, r.stderr
    assert not [p for p in tmp_path.iterdir() if p.name.startswith('out') or p.name.endswith('.tmp')]

def test_other_kind_checkpoint(model, tmp_path):
    t = load_file(str(model))
    save_file(t, str(tmp_path / 'g.safetensors'), metadata={'format': 'rbm_diffusion', 'kind': 'ising', 'n_visible': '9', 'n_hidden': '6'})
    r = cli('evaluate', '--model', tmp_path / 'g.safetensors', '--data', 'bas3')
    assert r.returncode == 2 and "unknown model kind 'ising'" in r.stderr
    # a Bernoulli checkpoint relabelled as Gaussian lacks log_sigma
    save_file(t, str(tmp_path / 'b.safetensors'), metadata={'format': 'rbm_diffusion', 'kind': 'gaussian', 'n_visible': '9', 'n_hidden': '6'})
    r = cli('evaluate', '--model', tmp_path / 'b.safetensors', '--data', 'moons')
    assert r.returncode == 2 and "expected ['W', 'b', 'c', 'log_sigma'] for a 'gaussian' model" in r.stderr

def test_demo(tmp_path):
    r = cli('demo', '--out', tmp_path / 'demo', '--steps', '100', '--quiet')
    assert r.returncode == 0, r.stderr
    for f in ('report.md', 'metrics.json', 'training_kl.png', 'cd.safetensors', 'pcd.safetensors', 'posterior.safetensors', 'samples_pcd_gibbs.png', 'samples_posterior_reverse-sde.png'):
        assert (tmp_path / 'demo' / f).is_file(), f
    m = json.loads((tmp_path / 'demo' / 'metrics.json').read_text())
    seeds = ('mean field (seed 1)', 'Gumbel (seed 2)')
    assert set(m) == ({f'{a} / {b}' for a in ('CD-1', 'PCD-5', 'posterior/exact') + seeds for b in ('gibbs', 'dwave-sa', 'exact')}
                      | {f'{a} / reverse-sde' for a in ('posterior/exact',) + seeds}
                      | {f'moons, gaussian/{a} / {b}' for a in ('pcd', 'posterior') for b in ('gibbs', 'exact', 'reverse-sde')})
    assert (tmp_path / 'demo' / 'moons_samples.png').is_file() and (tmp_path / 'demo' / 'moons_posterior.safetensors').is_file()

@pytest.mark.parametrize('estimator', ['exact', 'gibbs'])
def test_posterior_train_and_reverse_sde(estimator, tmp_path):
    m = tmp_path / 'p.safetensors'
    r = cli('train', '--data', 'bas3', '--method', 'posterior', '--estimator', estimator, '--hidden', '6', '--steps', '200', '--out', m, '--quiet')
    assert r.returncode == 0, r.stderr
    r = cli('sample', '--model', m, '--sampler', 'reverse-sde', '--estimator', estimator, '--steps', '50', '--sweeps', '20', '--n', '300', '--out', tmp_path / 's.npy', '--quiet')
    assert r.returncode == 0, r.stderr
    s = np.load(tmp_path / 's.npy')
    assert s.shape == (300, 9) and set(np.unique(s)) <= {0, 1}
    res = json.loads(cli('evaluate', '--model', m, '--data', 'bas3', '--json').stdout)
    assert abs(res['nll'] - brute_force_nll(m, bas3())[0]) < 1e-6
    assert json.loads(load_file_metadata(m)['config'])['estimator'] == estimator

@pytest.mark.parametrize('method', ['meanfield', 'gumbel'])
def test_seeds_train_resume_and_reverse_sde(method, tmp_path):
    m = tmp_path / 'r.safetensors'
    r = cli('train', '--data', 'bas3', '--method', method, '--hidden', '6', '--steps', '100', '--checkpoint-every', '50', '--out', m, '--quiet')
    assert r.returncode == 0, r.stderr
    assert (tmp_path / 'r.state.safetensors').is_file()
    cfg = json.loads(load_file_metadata(m)['config'])
    assert cfg['method'] == method and cfg['step'] == 100
    r = cli('train', '--data', 'bas3', '--method', method, '--hidden', '6', '--steps', '150', '--resume', m, '--out', m, '--quiet')
    assert r.returncode == 0, r.stderr
    assert json.loads(load_file_metadata(m)['config'])['step'] == 150
    r = cli('sample', '--model', m, '--sampler', 'reverse-sde', '--steps', '50', '--n', '300', '--bits', 'threshold', '--out', tmp_path / 's.npy', '--quiet')
    assert r.returncode == 0, r.stderr
    s = np.load(tmp_path / 's.npy')
    assert s.shape == (300, 9) and set(np.unique(s)) <= {0, 1}
    res = json.loads(cli('evaluate', '--model', m, '--data', 'bas3', '--json').stdout)
    assert abs(res['nll'] - brute_force_nll(m, bas3())[0]) < 1e-6

@pytest.mark.parametrize('method', ['pcd', 'posterior'])
def test_gaussian_train_sample_evaluate(method, tmp_path):
    m = tmp_path / 'g.safetensors'
    r = cli('train', '--data', 'rings', '--model', 'gaussian', '--method', method, '--hidden', '5', '--steps', '150', '--out', m, '--quiet')
    assert r.returncode == 0, r.stderr
    r = cli('sample', '--model', m, '--sampler', 'reverse-sde', '--steps', '50', '--n', '200', '--out', tmp_path / 's.npy', '--quiet')
    assert r.returncode == 0, r.stderr
    s = np.load(tmp_path / 's.npy')
    assert s.shape == (200, 2) and np.isfinite(s).all()
    res = json.loads(cli('evaluate', '--model', m, '--data', 'rings-test', '--samples', tmp_path / 's.npy', '--json').stdout)
    assert set(res) >= {'n_visible', 'n_hidden', 'nll', 'log_z', 'log_z_method', 'mmd'} and 'exact_kl' not in res
    # independent check: the mixture of 2^H Gaussians from the raw tensors, in numpy, in the data's units
    t, meta = load_file(str(m)), json.loads(load_file_metadata(m)['config'])
    W, b, c, ls = (t[k].astype(np.float64) for k in ('W', 'b', 'c', 'log_sigma'))
    mean, std = np.array(meta['standardize']['mean']), np.array(meta['standardize']['std'])
    s2 = np.exp(2 * ls)
    H = np.array(list(itertools.product([0, 1], repeat=W.shape[1])), float)
    M = H @ W.T
    logw = H @ c + ((b * M + M**2 / 2) / s2).sum(1)
    logpi = logw - np.logaddexp.reduce(logw)
    from rbm_diffusion.data import load_data
    x = (load_data('rings-test', binary=False).numpy().astype(np.float64) - mean) / std
    logn = -0.5 * (((x[:, None] - (b + M)[None]) ** 2) / s2).sum(-1) - 0.5 * np.log(2 * np.pi * s2).sum()
    nll = -np.logaddexp.reduce(logpi + logn, axis=1).mean() + np.log(std).sum()
    assert abs(res['nll'] - nll) < 1e-6
