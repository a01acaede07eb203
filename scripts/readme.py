"""Render README.md from nbs/index.ipynb (nbdev_readme needs Quarto, which these machines lack).

`python scripts/readme.py` writes README.md; `python scripts/readme.py --check` exits 1 when it is stale.
"""
import json, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent

def render(nb_path: Path = root / 'nbs' / 'index.ipynb') -> str:
    "README text: the notebook's markdown cells, and its code cells as fenced Python."
    cells = json.loads(nb_path.read_text(encoding='utf-8'))['cells']
    out = []
    for c in cells:
        src = ''.join(c['source']).strip()
        if not src or src.startswith('#| hide'): continue
        out.append(src if c['cell_type'] == 'markdown' else f"```python\n{src}\n```")
    return '<!-- generated from nbs/index.ipynb by scripts/readme.py; edit the notebook -->\n\n' + '\n\n'.join(out) + '\n'

if __name__ == '__main__':
    readme = root / 'README.md'
    if '--check' in sys.argv[1:]:
        if not readme.exists() or readme.read_text(encoding='utf-8') != render():
            sys.exit('README.md is out of step with nbs/index.ipynb: run `python scripts/readme.py`')
    else: readme.write_text(render(), encoding='utf-8')
