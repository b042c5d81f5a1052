"""Ag-Ag and Au-Au Slater-Koster tables from confined atoms, made by the independent code Hotcent
(2.0.1; GPL; not on PyPI: install it from a checkout of its repository, e.g.
github.com/JuKoWi/hotcent_fork_dipole, with `pip install .`). Electronic tables only (no
repulsion, not needed for transport). Two recipes:

  python hotcent_tables.py Ag|Au         the cross-check of bench/transport/steps/README.md
      ("How much the table matters"): PW92 LDA, potential superposition, power-2 confinement with
      the radii of A. Fihey et al., J. Comput. Chem. 36, 2075 (2015) for gold (density 9.41, 5d
      and 6s 6.50, 6p 4.51 bohr), for silver the same radii scaled by the ratio of the covalent
      radii (1.45 / 1.36 A); on-site levels the free atom's eigenvalues.

  python hotcent_tables.py --ptbp Ag|Au  the tables of inputs/tb/ptbp/: the recipe of the PTBP
      set ("periodic table baseline parameters", M. Cui, K. Reuter and J. T. Margraf, J. Chem.
      Theory Comput. 2024, doi:10.1021/acs.jctc.4c00228): PBE, density superposition,
      scalar-relativistic all-electron atoms, power-2 confinement of the density (r0_d) and of
      every valence orbital (r0_w) with the published radii, the published free-atom PBE levels
      on site and Hubbard values. The radii
      and levels are those of the PTBPlab repository (github.com/MengnanCui/PTBPlab,
      utils/parameters_set.py, commit 2eb6bd6). Rows from r = 0.4 bohr in steps of 0.02.

PBE needs libxc: Debian's libxc9 (`apt-get install libxc9`) through the small ctypes binding in
pylibxc/ beside this script, which is used when libxc's own Python module is not installed.

Usage: python hotcent_tables.py [--ptbp] Ag|Au   (writes El-El.skf into the current folder)
"""
import os
import sys

try:
    import pylibxc  # noqa: F401
except ImportError:
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hotcent.atomic_dft import AtomicDFT  # noqa: E402
from hotcent.confinement import PowerConfinement  # noqa: E402
from hotcent.offsite_twocenter import Offsite2cTable  # noqa: E402

CONFIG = {'Ag': ('[Kr] 4d10 5s1 5p0', ['4d', '5s', '5p']),
          'Au': ('[Xe] 4f14 5d10 6s1 6p0', ['5d', '6s', '6p'])}

# PTBP: wave-function and density confinement radii (bohr), power 2; free-atom PBE levels
# (d, p, s) and Hubbard values (d, p, s), Hartree.
PTBP = {'Ag': dict(r0_w=3.536, r0_d=11.456,
                   levels=(-0.2735250898, -0.0261510722, -0.161565354),
                   hubbard=(0.4346190778, 0.0821261911, 0.2289222688)),
        'Au': dict(r0_w=3.362, r0_d=9.801,
                   levels=(-0.2529405528, -0.0276298072, -0.2109432793),
                   hubbard=(0.3974207159, 0.0836248909, 0.2539305754))}

args = sys.argv[1:]
ptbp = '--ptbp' in args
args = [a for a in args if a != '--ptbp']
if len(args) != 1 or args[0] not in CONFIG:
    sys.exit('usage: python hotcent_tables.py [--ptbp] Ag|Au')
el = args[0]
cfg, val = CONFIG[el]
d, s, p = val

if ptbp:
    xc = 'GGA_X_PBE+GGA_C_PBE'
    par = PTBP[el]
    atom = AtomicDFT(el, xc=xc, configuration=cfg, valence=val, scalarrel=True,
                     confinement=PowerConfinement(r0=par['r0_d'], s=2),
                     wf_confinement={nl: PowerConfinement(r0=par['r0_w'], s=2) for nl in val},
                     txt=None)
    atom.run()
    table = Offsite2cTable(atom, atom)
    table.run(0.4, 0.02, 700, superposition='density', xc=xc)
    table.write(eigenvalues=dict(zip((d, p, s), par['levels'])),
                hubbardvalues=dict(zip((d, p, s), par['hubbard'])),
                occupations={d: 10, s: 1, p: 0}, spe=0.0, filename_template='{el1}-{el2}.skf')
    # The source, after the tables (readers stop after the table rows and the optional Spline
    # block; DFTB+ parameter sets end with such a block).
    with open(f'{el}-{el}.skf', 'a') as f:
        f.write(f'''<Documentation>
{el}-{el} electronic Slater-Koster table (no repulsion) of the PTBP set: M. Cui, K. Reuter and
J. T. Margraf, J. Chem. Theory Comput. 2024, doi:10.1021/acs.jctc.4c00228. Regenerated with
Hotcent 2.0.1 by nanocontact's bench/transport/steps/hotcent_tables.py --ptbp {el}: PBE, density
superposition, scalar-relativistic atom {cfg}, power-2 confinement r0_w = {par['r0_w']} bohr
(valence orbitals) and r0_d = {par['r0_d']} bohr (density), the published free-atom levels on site.
</Documentation>
''')
else:
    xc = 'LDA'
    scale = 1.0 if el == 'Au' else 1.45 / 1.36
    free = AtomicDFT(el, xc=xc, configuration=cfg, valence=val, scalarrel=True,
                     nodegpts=150, mix=0.2, txt=None)
    free.run()
    eigenvalues = {nl: free.get_eigenvalue(nl) for nl in val}
    wf = {d: PowerConfinement(r0=6.50 * scale, s=2), s: PowerConfinement(r0=6.50 * scale, s=2),
          p: PowerConfinement(r0=4.51 * scale, s=2)}
    atom = AtomicDFT(el, xc=xc, confinement=PowerConfinement(r0=9.41 * scale, s=2),
                     wf_confinement=wf, perturbative_confinement=False, configuration=cfg,
                     valence=val, scalarrel=True, nodegpts=150, mix=0.2, txt=None)
    atom.run()
    table = Offsite2cTable(atom, atom)
    table.run(0.4, 0.02, 580, superposition='potential', xc=xc)
    table.write(eigenvalues=eigenvalues, hubbardvalues={nl: 0.0 for nl in val},
                occupations={d: 10, s: 1, p: 0}, filename_template='{el1}-{el2}.skf')
