"""The repository is consistent: README from index.ipynb, notebooks with ids and clean metadata."""
import json, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
NBS = sorted((ROOT / 'nbs').rglob('*.ipynb'))

def test_readme_in_step_with_index():
    r = subprocess.run([sys.executable, str(ROOT / 'scripts' / 'readme.py'), '--check'], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr

@pytest.mark.parametrize('nb', NBS, ids=[p.name for p in NBS])
def test_notebook_has_ids_and_no_execution_counts(nb):
    cells = json.loads(nb.read_text())['cells']
    ids = [c.get('id') for c in cells]
    assert all(ids) and len(set(ids)) == len(ids)
    assert all(c.get('execution_count') is None for c in cells if c['cell_type'] == 'code')

def test_every_api_notebook_exports_a_module():
    for nb in (ROOT / 'nbs').glob('[0-9]*.ipynb'):
        src = ''.join(''.join(c['source']) for c in json.loads(nb.read_text())['cells'])
        assert '#| default_exp' in src, nb.name
