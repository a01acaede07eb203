"""Every module imports in a fresh interpreter: exported code never relies on notebook globals."""
import subprocess, sys
import pytest
from rbm_diffusion._modidx import d

MODULES = sorted({sym.split('.')[1] for sym in d['syms'] if sym.count('.') >= 1})

def test_modules_found(): assert {'core', 'rbm', 'sde', 'meanfield', 'gumbel', 'posterior', 'gbrbm', 'losses', 'sampling', 'data', 'metrics', 'train', 'checkpoint', 'cli'} <= set(MODULES)

@pytest.mark.parametrize('mod', MODULES)
def test_fresh_import(mod):
    r = subprocess.run([sys.executable, '-c', f'import rbm_diffusion.{mod}'], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
