"""Execute notebooks in place so that their outputs (figures, tables) are saved for the docs build.

Usage: python scripts/run_nbs.py [NOTEBOOK ...]   (default: every notebook in nbs/, not starting with _)
Run `nbdev_clean` afterwards. Notebooks run at full size (IN_TEST unset), as a reader would run them.
Cells flagged `#| qpu` run only when a D-Wave QPU is configured; otherwise they keep their old outputs.
Cells flagged `#| eval: false` (widgets) never run here.
"""
import os, sys, time
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from rbm_diffusion.dwave import qpu_configured

root = Path(__file__).resolve().parent.parent
os.environ.pop('IN_TEST', None)
os.environ.setdefault('MPLBACKEND', 'module://matplotlib_inline.backend_inline')
paths = [Path(p).resolve() for p in sys.argv[1:]] or sorted(p for p in (root / 'nbs').rglob('*.ipynb') if not p.name.startswith('_'))
for path in paths:
    t0 = time.perf_counter()
    os.chdir(path.parent)
    nb = read_nb(path)
    shell = CaptureShell(path)
    skip_qpu = not qpu_configured()
    def skip(c):
        src = c.source.lstrip() if c.cell_type == 'code' else ''
        return src.startswith('#| eval: false') or (skip_qpu and src.startswith('#| qpu'))
    shell.run_all(nb, exc_stop=True, preproc=skip)
    write_nb(nb, path)
    print(f"{path.relative_to(root)}: {time.perf_counter() - t0:.1f} s")
