"""Cross-check of the DFTB results' dependence on the table: Ag-Ag and Au-Au Slater-Koster
tables generated from confined LDA atoms by the independent code Hotcent (2.0.1; GPL; not on
PyPI: install it from a checkout of its repository, e.g. github.com/JuKoWi/hotcent_fork_dipole,
with `pip install .`). Electronic tables only (no repulsion, not needed for transport).

Settings: PW92 LDA, scalar-relativistic all-electron atoms, potential superposition; on-site
levels the free atom's eigenvalues; power-2 confinement with the radii of A. Fihey et al.,
J. Comput. Chem. 36, 2075 (2015) for gold (density 9.41, 5d and 6s 6.50, 6p 4.51 bohr), and
for silver the same radii scaled by the ratio of the covalent radii (1.45 / 1.36 A).

Usage: python hotcent_tables.py Ag|Au   (writes El-El.skf into the current folder)
"""
import sys

from hotcent.atomic_dft import AtomicDFT
from hotcent.confinement import PowerConfinement
from hotcent.offsite_twocenter import Offsite2cTable

el = sys.argv[1]
xc = 'LDA'
if el == 'Au':
    cfg, val, scale = '[Xe] 4f14 5d10 6s1 6p0', ['5d', '6s', '6p'], 1.0
elif el == 'Ag':
    cfg, val, scale = '[Kr] 4d10 5s1 5p0', ['4d', '5s', '5p'], 1.45 / 1.36
else:
    sys.exit('element must be Ag or Au')
d, s, p = val
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
