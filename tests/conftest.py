import os, torch
torch.set_num_threads(1)
os.environ.setdefault('MPLBACKEND', 'Agg')
