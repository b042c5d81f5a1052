"""A minimal ctypes binding of the system's libxc (Debian package libxc9) with the part of
libxc's own Python interface (pylibxc, not on PyPI) that Hotcent calls for GGA functionals:
LibXCFunctional(name, 'unpolarized').compute({'rho': ..., 'sigma': ...}) returning 'zk', 'vrho',
'vsigma' (and the second derivatives with do_fxc), each as an (n, 1) array. Functions of the
libxc C API used: xc_functional_get_number, xc_func_alloc, xc_func_init, xc_{lda,gga}_{exc,vxc,fxc}.
Only what hotcent_tables.py needs: unpolarized LDA and GGA functionals."""
import ctypes
import numpy as np

_lib = ctypes.CDLL('libxc.so.9')
_lib.xc_func_alloc.restype = ctypes.c_void_p
_lib.xc_func_init.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
_lib.xc_functional_get_number.argtypes = [ctypes.c_char_p]
_dp = np.ctypeslib.ndpointer(dtype=np.float64, flags='C_CONTIGUOUS')
for f, n in [('xc_lda_exc', 2), ('xc_lda_vxc', 2), ('xc_lda_fxc', 2),
             ('xc_gga_exc', 3), ('xc_gga_vxc', 4), ('xc_gga_fxc', 5)]:
    getattr(_lib, f).argtypes = [ctypes.c_void_p, ctypes.c_size_t] + [_dp] * n
    getattr(_lib, f).restype = None


class LibXCFunctional:
    def __init__(self, name, spin):
        assert spin == 'unpolarized', 'only unpolarized functionals here'
        number = _lib.xc_functional_get_number(name.lower().encode())
        if number < 0:
            raise KeyError(name)
        self.gga = name.lower().startswith('gga')
        if not self.gga and not name.lower().startswith('lda'):
            raise KeyError(name)
        self.p = _lib.xc_func_alloc()
        if _lib.xc_func_init(self.p, number, 1) != 0:
            raise KeyError(name)

    def compute(self, inp, do_exc=True, do_vxc=True, do_fxc=False):
        rho = np.ascontiguousarray(inp['rho'], dtype=np.float64).ravel()
        n = rho.size

        def z():
            return np.zeros(n)

        out = {}
        if self.gga:
            sigma = np.ascontiguousarray(inp['sigma'], dtype=np.float64).ravel()
            if do_exc:
                out['zk'] = z()
                _lib.xc_gga_exc(self.p, n, rho, sigma, out['zk'])
            if do_vxc:
                out['vrho'], out['vsigma'] = z(), z()
                _lib.xc_gga_vxc(self.p, n, rho, sigma, out['vrho'], out['vsigma'])
            if do_fxc:
                out['v2rho2'], out['v2rhosigma'], out['v2sigma2'] = z(), z(), z()
                _lib.xc_gga_fxc(self.p, n, rho, sigma, out['v2rho2'], out['v2rhosigma'],
                                out['v2sigma2'])
        else:
            if do_exc:
                out['zk'] = z()
                _lib.xc_lda_exc(self.p, n, rho, out['zk'])
            if do_vxc:
                out['vrho'] = z()
                _lib.xc_lda_vxc(self.p, n, rho, out['vrho'])
            if do_fxc:
                out['v2rho2'] = z()
                _lib.xc_lda_fxc(self.p, n, rho, out['v2rho2'])
        return {k: v[:, None] for k, v in out.items()}
