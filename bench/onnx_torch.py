"""ONNX -> torch.nn.Module for the CNN ops of the shared Fashion-MNIST models.

OnnxModule(path) interprets the ONNX graph node by node with torch functions,
so PyTorch trains the very network (and weights) that `edgewise train` trains:
float initializers of rank >= 1 become nn.Parameters (the same rule as
Edgewise's choose_parameters), BatchNormalization mean/var and every other
initializer become buffers, Constant nodes become buffers evaluated once.

Supported ops are the ones in OPS below; anything else raises NotImplementedError
at construction, never mid-training. 2-D convolution and pooling only.

    python3 bench/onnx_torch.py MODEL.onnx TEST_DATA_SET_DIR   # compare with output_0.pb
"""
import math
import re
import sys

import numpy as np
import onnx
import onnx.numpy_helper
import torch
import torch.nn.functional as F
from torch import nn


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _pads2d(a):
    """ONNX pads [top, left, bottom, right] -> (symmetric (ph, pw) or None, F.pad tuple)."""
    if a.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
        raise NotImplementedError("auto_pad is not supported; export with explicit pads")
    t, l, b, r = a.get("pads", [0, 0, 0, 0])
    return ((t, l) if (t, l) == (b, r) else None), (l, r, t, b)


def _conv(a):
    sym, full = _pads2d(a)
    stride, dil, groups = a.get("strides", [1, 1]), a.get("dilations", [1, 1]), a.get("group", 1)

    def run(x, w, b=None):
        if sym is None:
            x = F.pad(x, full)
        return F.conv2d(x, w, b, stride, sym or 0, dil, groups)
    return run


def _pool(a, kind):
    sym, full = _pads2d(a)
    k, stride, ceil = a["kernel_shape"], a.get("strides", [1, 1]), bool(a.get("ceil_mode", 0))
    if kind == "max":
        dil = a.get("dilations", [1, 1])
        if sym is None:
            return lambda x: F.max_pool2d(F.pad(x, full, value=-math.inf), k, stride, 0, dil, ceil)
        return lambda x: F.max_pool2d(x, k, stride, sym, dil, ceil)
    include = bool(a.get("count_include_pad", 0))
    if sym is None:
        if not include:
            raise NotImplementedError("AveragePool with asymmetric pads and count_include_pad=0")
        return lambda x: F.avg_pool2d(F.pad(x, full), k, stride, 0, ceil, True)
    return lambda x: F.avg_pool2d(x, k, stride, sym, ceil, include)


def _gemm(a):
    alpha, beta = a.get("alpha", 1.0), a.get("beta", 1.0)
    ta, tb = a.get("transA", 0), a.get("transB", 0)

    def run(x, w, c=None):
        if (alpha, beta, ta, tb) == (1.0, 1.0, 0, 1):
            return F.linear(x, w, c)
        y = alpha * ((x.t() if ta else x) @ (w.t() if tb else w))
        return y if c is None else y + beta * c
    return run


def _clip(a):
    lo, hi = a.get("min"), a.get("max")  # opset < 11 keeps the bounds as attributes

    def run(x, mn=None, mx=None):
        mn = lo if mn is None else mn
        mx = hi if mx is None else mx
        return torch.clamp(x, None if mn is None else float(mn), None if mx is None else float(mx))
    return run


def _flatten(a):
    axis = a.get("axis", 1)

    def run(x):
        ax = axis % x.dim() if x.dim() else 0
        return x.reshape(int(np.prod(x.shape[:ax])), -1)
    return run


def _reshape(a):
    def run(x, shape):
        dims = [int(d) for d in shape.tolist()]
        if not a.get("allowzero", 0):
            dims = [x.shape[i] if d == 0 else d for i, d in enumerate(dims)]
        return x.reshape(dims)
    return run


def _batchnorm(module, a):
    eps, momentum = a.get("epsilon", 1e-5), a.get("momentum", 0.9)

    def run(x, scale, bias, mean, var):
        return F.batch_norm(x, mean, var, scale, bias, module.training, 1.0 - momentum, eps)
    return run


def _dropout(module, a):
    ratio = a.get("ratio", 0.5)  # opset < 12; later opsets give it as an input

    def run(x, r=None, training_mode=None):
        p = float(r) if r is not None else ratio
        return F.dropout(x, p, module.training)
    return run


# One declarative table: op type -> factory(attrs) or factory(module, attrs) returning fn(*inputs).
OPS = {
    "Conv": _conv,
    "Gemm": _gemm,
    "MatMul": lambda a: torch.matmul,
    "Relu": lambda a: F.relu,
    "Sigmoid": lambda a: torch.sigmoid,
    "Clip": _clip,
    "Add": lambda a: torch.add,
    "Sub": lambda a: torch.sub,
    "Mul": lambda a: torch.mul,
    "Div": lambda a: torch.div,
    "GlobalAveragePool": lambda a: (lambda x: x.mean(dim=tuple(range(2, x.dim())), keepdim=True)),
    "MaxPool": lambda a: _pool(a, "max"),
    "AveragePool": lambda a: _pool(a, "avg"),
    "Flatten": _flatten,
    "Reshape": _reshape,
    "Identity": lambda a: (lambda x: x),
    "Concat": lambda a: (lambda *xs: torch.cat(xs, a["axis"])),
    "Transpose": lambda a: (lambda x: x.permute(a["perm"]) if "perm" in a else x.permute(*reversed(range(x.dim())))),
    "Softmax": lambda a: (lambda x: torch.softmax(x, a.get("axis", -1))),
}
STATEFUL_OPS = {"BatchNormalization": _batchnorm, "Dropout": _dropout}


def _constant_value(a):
    if "value" in a:
        return torch.from_numpy(onnx.numpy_helper.to_array(a["value"]).copy())
    for key, dtype in (("value_float", torch.float32), ("value_floats", torch.float32),
                       ("value_int", torch.int64), ("value_ints", torch.int64)):
        if key in a:
            return torch.tensor(a[key], dtype=dtype)
    raise NotImplementedError("Constant without a value/value_float(s)/value_int(s) attribute")


class OnnxModule(nn.Module):
    def __init__(self, path):
        super().__init__()
        graph = onnx.load(path).graph
        inits = {t.name: onnx.numpy_helper.to_array(t) for t in graph.initializer}
        bn_stats = {n.input[i] for n in graph.node if n.op_type == "BatchNormalization" for i in (3, 4)}
        self._attr = {}  # ONNX name -> attribute holding the parameter/buffer
        for name, value in inits.items():
            attr = self._fresh_attr(name)
            t = torch.from_numpy(value.copy())
            if t.dtype == torch.float32 and t.dim() >= 1 and name not in bn_stats:
                self.register_parameter(attr, nn.Parameter(t))
            else:
                self.register_buffer(attr, t)
        self.inputs = [i.name for i in graph.input if i.name not in inits]
        self.outputs = [o.name for o in graph.output]
        self._plan = []
        for node in graph.node:
            a = _attrs(node)
            if node.op_type == "Constant":
                attr = self._fresh_attr(node.output[0])
                self.register_buffer(attr, _constant_value(a))
                continue
            if node.op_type in OPS:
                fn = OPS[node.op_type](a)
            elif node.op_type in STATEFUL_OPS:
                fn = STATEFUL_OPS[node.op_type](self, a)
            else:
                raise NotImplementedError(f"{path}: ONNX op {node.op_type} ({node.name}) has no torch mapping")
            self._plan.append((fn, list(node.input), list(node.output)[:1]))

    def _fresh_attr(self, onnx_name):
        attr = "v_" + re.sub(r"\W", "_", onnx_name)
        while hasattr(self, attr):
            attr += "_"
        self._attr[onnx_name] = attr
        return attr

    def forward(self, *xs):
        env = dict(zip(self.inputs, xs))

        def value(name):
            if name == "":
                return None
            return env[name] if name in env else getattr(self, self._attr[name])
        for fn, ins, outs in self._plan:
            env[outs[0]] = fn(*[value(n) for n in ins])
        out = [env[n] for n in self.outputs]
        return out[0] if len(out) == 1 else tuple(out)


def _main(model_path, test_dir):
    import os
    m = OnnxModule(model_path).eval()
    x = onnx.numpy_helper.to_array(onnx.load_tensor(os.path.join(test_dir, "input_0.pb")))
    ref = onnx.numpy_helper.to_array(onnx.load_tensor(os.path.join(test_dir, "output_0.pb")))
    with torch.no_grad():
        y = m(torch.from_numpy(x.copy())).numpy()
    diff = float(np.abs(y - ref).max())
    print(f"{model_path}: max |torch - reference| = {diff:.3g}")
    return 0 if diff <= 1e-4 else 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(_main(sys.argv[1], sys.argv[2]))
