"""Edgewise vs PyTorch training of the same ONNX network on Fashion-MNIST.

The orchestrator (default) runs, per model and thread count, `edgewise train`
and then a PyTorch worker (this file with --worker), each as its own process,
and reads each child's peak RSS from wait4(). Both train the same ONNX file
(bench/onnx_torch.py builds the torch module from it) with the same data
(pixels / 255, float32 N x 1 x 28 x 28), batch size, AdamW settings and number
of steps; both reshuffle every epoch.

Timing runs use partial epochs: --train-count 64*W samples (W = --warmup), so
each epoch is W optimizer steps; the first epoch is the warm-up and is not
timed, the next ceil(STEPS/W) epochs are. ms/step = timed epoch seconds /
timed steps, each framework timing its own epochs the same way.
--full adds fine-tuning on all 60,000 training images (no validation split)
and test accuracy on the 10,000 test images, before and after, for both.
"""
import argparse
import gzip
import json
import math
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BATCH = 64
EPOCH_STEPS = math.ceil(60000 / BATCH)


# ---------------------------------------------------------------- data (numpy only)

def read_idx(path, count=0):
    """First `count` items (0: all) of an IDX ubyte .gz file, reading no more than needed."""
    with gzip.open(path, "rb") as f:
        head = f.read(4)
        if head[:3] != b"\0\0\x08":
            raise ValueError(f"{path}: not an IDX ubyte file")
        dims = [int.from_bytes(f.read(4), "big") for _ in range(head[3])]
        if count and count < dims[0]:
            dims[0] = count
        data = f.read(int(np.prod(dims)))
    return np.frombuffer(data, np.uint8).reshape(dims)


def fashion_mnist(data_dir, split, count=0):
    prefix = os.path.join(data_dir, "train" if split == "train" else "t10k")
    images = read_idx(prefix + "-images-idx3-ubyte.gz", count)
    labels = read_idx(prefix + "-labels-idx1-ubyte.gz", count)
    x = (images.astype(np.float32) / np.float32(255.0))[:, None, :, :]  # as src/data/dataset.cc
    return x, labels.astype(np.int64)


# ---------------------------------------------------------------- PyTorch worker

def rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def torch_evaluate(torch, model, x, y):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), 256):
            correct += int((model(x[i:i + 256]).argmax(1) == y[i:i + 256]).sum())
    model.train()
    return correct / len(x)


def torch_worker(a):
    import torch
    import torch.nn.functional as F
    sys.path.insert(0, HERE)
    from onnx_torch import OnnxModule
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "rss_after_import_mb": rss_mb()}
    if a.check:
        return torch_check(torch, OnnxModule, a, out)
    model = OnnxModule(a.model).train()
    out["parameter_values"] = sum(p.numel() for p in model.parameters())
    x, y = (torch.from_numpy(v) for v in fashion_mnist(a.data_dir, "train", a.train_count))
    test = None
    if a.test:
        test = [torch.from_numpy(v) for v in fashion_mnist(a.data_dir, "test")]
        out["test_accuracy_before"] = torch_evaluate(torch, model, *test)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=a.weight_decay)
    shuffle = torch.Generator().manual_seed(a.seed)
    out["epochs"], steps = [], 0
    for _ in range(a.epochs):
        start = time.perf_counter()
        order = torch.randperm(len(x), generator=shuffle)
        loss_sum, correct = 0.0, 0
        for b in range(0, len(x), BATCH):
            idx = order[b:b + BATCH]
            xb, yb = x[idx], y[idx]
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            steps += 1
            loss_sum += float(loss) * len(idx)
            correct += int((logits.argmax(1) == yb).sum())
        seconds = time.perf_counter() - start
        out["epochs"].append({"seconds": seconds, "train_loss": loss_sum / len(x), "train_accuracy": correct / len(x),
                              "samples_per_second": len(x) / seconds})
    out["steps"] = steps
    if test is not None:
        out["test_accuracy"] = torch_evaluate(torch, model, *test)
    print(json.dumps(out))
    return 0


def torch_check(torch, OnnxModule, a, out):
    """Max |torch - reference| on test_data_set_0 and |torch - edgewise run| on a real batch."""
    import onnx
    import onnx.numpy_helper as nh
    model = OnnxModule(a.model).eval()
    ref_dir = os.path.join(os.path.dirname(a.model), "test_data_set_0")
    with torch.no_grad():
        if os.path.isdir(ref_dir):
            x = nh.to_array(onnx.load_tensor(os.path.join(ref_dir, "input_0.pb")))
            ref = nh.to_array(onnx.load_tensor(os.path.join(ref_dir, "output_0.pb")))
            out["vs_reference"] = float(np.abs(model(torch.from_numpy(x.copy())).numpy() - ref).max())
        x, ew = np.load(a.check[0]), np.load(a.check[1])
        out["vs_edgewise"] = float(np.abs(model(torch.from_numpy(x)).numpy() - ew).max())
    print(json.dumps(out))
    return 0


# ---------------------------------------------------------------- orchestrator

def run_child(cmd, env=None, retries=3):
    """Runs cmd as its own process; returns (stdout, wall seconds, peak RSS MB). Waits out a rebuild of the binary."""
    for attempt in range(retries + 1):
        if not os.path.exists(cmd[0]) and attempt < retries:
            time.sleep(20)
            continue
        with tempfile.TemporaryFile() as so, tempfile.TemporaryFile() as se:
            start = time.perf_counter()
            try:
                p = subprocess.Popen(cmd, stdout=so, stderr=se, env=env)
            except OSError as e:  # e.g. the binary is being relinked
                if attempt < retries:
                    time.sleep(20)
                    continue
                raise SystemExit(f"error: cannot start {cmd[0]}: {e}")
            _, status, usage = os.wait4(p.pid, 0)
            p.returncode = os.waitstatus_to_exitcode(status)
            wall = time.perf_counter() - start
            so.seek(0)
            se.seek(0)
            stdout, stderr = so.read().decode(), se.read().decode()
        if p.returncode == 0:
            return stdout, wall, usage.ru_maxrss / 1024.0
        if attempt < retries and not os.path.exists(cmd[0]):
            continue
        raise SystemExit(f"error: exit {p.returncode} from:\n  {shlex.join(cmd)}\n{stderr.strip()}")


def edgewise_cmd(a, model, threads, epochs, train_count, lr, out_onnx, test):
    cmd = [a.edgewise, "train", model, "--dataset", "fashion-mnist", "--validation", "0",
           "--epochs", str(epochs), "--batch-size", str(BATCH), "--optimizer", "adamw", "--lr", repr(lr),
           "--weight-decay", repr(a.weight_decay), "--threads", str(threads), "--seed", str(a.seed), "--json",
           "--test" if test else "--no-test", "-o", out_onnx]
    return cmd + (["--train-count", str(train_count)] if train_count else [])


def torch_cmd(a, model, threads, epochs, train_count, lr, test):
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", "--model", model, "--threads", str(threads),
           "--epochs", str(epochs), "--train-count", str(train_count), "--lr", repr(lr),
           "--weight-decay", repr(a.weight_decay), "--seed", str(a.seed), "--data-dir", a.data_dir]
    return cmd + (["--test"] if test else [])


def torch_env(threads):
    env = dict(os.environ)
    env.update(OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    return env


def model_path(name):
    return name if name.endswith(".onnx") else os.path.join(ROOT, "..", "shared", "models", name, "model.onnx")


def check_converter(a, name, tmp):
    """The torch module's outputs against the model's reference and `edgewise run` on 64 test images."""
    model = model_path(name)
    x, _ = fashion_mnist(a.data_dir, "test", 64)
    xin, outdir = os.path.join(tmp, "check_x.npy"), os.path.join(tmp, "check_" + name)
    np.save(xin, x)
    run_child([a.edgewise, "run", model, "--input", xin, "--output-dir", outdir])
    ew = os.path.join(outdir, sorted(f for f in os.listdir(outdir) if f.endswith(".npy"))[0])
    stdout, _, _ = run_child(torch_cmd(a, model, 1, 1, 0, a.lr, False) + ["--check", xin, ew], torch_env(1))
    r = json.loads(stdout)
    ok = r["vs_edgewise"] <= 1e-4 and r.get("vs_reference", 0.0) <= 1e-4
    print(f"converter check {name}: max |torch - test_data_set_0| = {r.get('vs_reference', float('nan')):.2g}, "
          f"max |torch - edgewise run| (64 test images) = {r['vs_edgewise']:.2g} -> {'ok' if ok else 'MISMATCH'}",
          file=sys.stderr)
    if not ok:
        raise SystemExit(f"error: the torch module built from {model} does not match Edgewise to 1e-4")


def timed_ms_per_step(report, w):
    """Mean ms per optimizer step over every epoch after the first (the warm-up); each epoch is w steps."""
    timed = report["epochs"][1:]
    return 1e3 * sum(e["seconds"] for e in timed) / (len(timed) * w)


def timing_pair(a, name, threads, tmp, run):
    """One interleaved Edgewise + PyTorch timing run: {framework: (ms/step, peak RSS MB)}."""
    model, w = model_path(name), a.warmup
    epochs = 1 + math.ceil(a.steps / w)
    stdout, _, ew_rss = run_child(edgewise_cmd(a, model, threads, epochs, BATCH * w, a.lr,
                                               os.path.join(tmp, "ew.onnx"), False))
    ew = json.loads(stdout)
    stdout, _, pt_rss = run_child(torch_cmd(a, model, threads, epochs, BATCH * w, a.lr, False), torch_env(threads))
    pt = json.loads(stdout)
    if ew["parameter_values"] != pt["parameter_values"]:
        print(f"warning: {name}: Edgewise trains {ew['parameter_values']} values, torch {pt['parameter_values']}",
              file=sys.stderr)
    res = {"edgewise": (timed_ms_per_step(ew, w), ew_rss), "torch": (timed_ms_per_step(pt, w), pt_rss)}
    print(f"  {name} threads {threads} run {run + 1}/{a.repeat}: "
          f"Edgewise {res['edgewise'][0]:.1f} ms/step {ew_rss:.0f} MB, "
          f"PyTorch {res['torch'][0]:.1f} ms/step {pt_rss:.0f} MB", file=sys.stderr)
    return res


def full_pair(a, name, threads, tmp):
    """Fine-tune on all training images for --full-epochs; test accuracy before/after and epoch seconds."""
    model = model_path(name)
    res, n = {}, a.full_train_count
    stdout, _, rss = run_child(edgewise_cmd(a, model, threads, a.full_epochs, n, a.full_lr,
                                            os.path.join(tmp, "ew_full.onnx"), True))
    j = json.loads(stdout)
    res["edgewise"] = dict(before=j["test"].get("accuracy_before", math.nan), after=j["test"]["accuracy"],
                           epoch_s=statistics.mean(e["seconds"] for e in j["epochs"]), rss=rss)
    stdout, _, rss = run_child(torch_cmd(a, model, threads, a.full_epochs, n, a.full_lr, True), torch_env(threads))
    j = json.loads(stdout)
    res["torch"] = dict(before=j["test_accuracy_before"], after=j["test_accuracy"],
                        epoch_s=statistics.mean(e["seconds"] for e in j["epochs"]), rss=rss)
    print(f"  {name} full: Edgewise acc {res['edgewise']['before']:.4f} -> {res['edgewise']['after']:.4f}, "
          f"PyTorch {res['torch']['before']:.4f} -> {res['torch']['after']:.4f}", file=sys.stderr)
    return res


def cpu_model():
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def torch_version():
    r = subprocess.run([sys.executable, "-c", "import torch; print(torch.__version__)"], capture_output=True, text=True)
    return r.stdout.strip() or "unknown"


def markdown(a, argv, rows, full, load_before, baseline_mb):
    git = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    git = git.stdout.strip()
    timed = math.ceil(a.steps / a.warmup) * a.warmup
    built = time.strftime("%Y-%m-%d %H:%M", time.localtime(os.path.getmtime(a.edgewise)))
    lines = [
        "### Training: Edgewise vs PyTorch (Fashion-MNIST, same ONNX network and weights)", "",
        f"- command: `{shlex.join(argv)}`",
        f"- CPU: {cpu_model()} ({os.cpu_count()} CPUs); load average before {load_before}, "
        f"after {' '.join(f'{v:.2f}' for v in os.getloadavg())}",
        f"- Edgewise `{os.path.relpath(a.edgewise, ROOT)}` (built {built}; tree at {git or '?'}), "
        f"PyTorch {torch_version()}; "
        f"batch {BATCH}, AdamW lr {a.lr:g} weight decay {a.weight_decay:g}; {a.warmup} warm-up steps excluded, "
        f"{timed} timed steps; median of {a.repeat} interleaved run(s)",
        f"- peak RSS is each training process's whole peak (wait4 ru_maxrss); the PyTorch one includes "
        f"Python and libtorch, about {baseline_mb:.0f} MB right after `import torch`", "",
    ]
    head = ["model", "threads", "Edgewise ms/step", "PyTorch ms/step", "Edgewise/PyTorch",
            "Edgewise s/epoch*", "PyTorch s/epoch*",
            "Edgewise peak RSS MB", "PyTorch peak RSS MB", "RSS Edgewise/PyTorch"]
    if full:
        head += ["Edgewise test acc", "PyTorch test acc"]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for (name, threads), r in rows.items():
        e, t = r["edgewise"], r["torch"]
        cells = [name, str(threads), f"{e[0]:.1f}", f"{t[0]:.1f}", f"{e[0] / t[0]:.2f}",
                 f"{e[0] * EPOCH_STEPS / 1e3:.0f}", f"{t[0] * EPOCH_STEPS / 1e3:.0f}",
                 f"{e[1]:.0f}", f"{t[1]:.0f}", f"{e[1] / t[1]:.2f}"]
        if full:
            f = full.get((name, threads))
            cells += [f"{f['edgewise']['after']:.4f}", f"{f['torch']['after']:.4f}"] if f else ["—", "—"]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", f"\\* estimated: {EPOCH_STEPS} steps (60,000 images) × ms/step."]
    if full:
        images = f"the first {a.full_train_count:,}" if a.full_train_count else "all 60,000"
        lines += ["", f"Fine-tuning on {images} training images, {a.full_epochs} epoch(s), AdamW lr {a.full_lr:g}, "
                  "from the shipped weights; test accuracy on the 10,000 test images:", "",
                  "| model | threads | Edgewise before → after | PyTorch before → after | Edgewise s/epoch | "
                  "PyTorch s/epoch | Edgewise peak RSS MB | PyTorch peak RSS MB |", "|---|---|---|---|---|---|---|---|"]
        for (name, threads), f in full.items():
            e, t = f["edgewise"], f["torch"]
            lines.append(f"| {name} | {threads} | {e['before']:.4f} → {e['after']:.4f} | {t['before']:.4f} → "
                         f"{t['after']:.4f} | {e['epoch_s']:.1f} | {t['epoch_s']:.1f} | {e['rss']:.0f} | "
                         f"{t['rss']:.0f} |")
    return "\n".join(lines) + "\n"


def orchestrate(a, argv):
    if not os.path.exists(a.edgewise):
        raise SystemExit(f"error: {a.edgewise} not found (build first, or pass --edgewise)")
    models = [m for m in a.models.split(",") if m]
    threads = [int(t) for t in a.threads_list.split(",") if t]
    load_before = " ".join(f"{v:.2f}" for v in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="ew_train_compare_") as tmp:
        if not a.no_check:
            for name in models:
                check_converter(a, name, tmp)
        baseline = json.loads(run_child([sys.executable, "-c", "import json, torch; print(json.dumps("
                                         "{'rss': [int(l.split()[1]) for l in open('/proc/self/status') "
                                         "if l.startswith('VmRSS:')][0]}))"])[0])["rss"] / 1024.0
        rows, full = {}, {}
        for name in models:
            for t in threads:
                runs = [timing_pair(a, name, t, tmp, i) for i in range(a.repeat)]
                rows[(name, t)] = {fw: (statistics.median(r[fw][0] for r in runs), max(r[fw][1] for r in runs))
                                   for fw in ("edgewise", "torch")}
            if a.full:
                t = a.full_threads or max(threads)
                full[(name, t)] = full_pair(a, name, t, tmp)
    text = markdown(a, argv, rows, full, load_before, baseline)
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
    return 0


def parse(argv):
    p = argparse.ArgumentParser(prog="bench/train_compare", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--models", default="fashion_mbnet,fashion_resnet",
                   help="comma-separated folders of ../shared/models, or .onnx paths")
    p.add_argument("--threads", dest="threads_list", default="1,2", help="thread counts, e.g. 1,2")
    p.add_argument("--steps", type=int, default=10,
                   help="timed optimizer steps per run (rounded up to a multiple of --warmup)")
    p.add_argument("--warmup", type=int, default=5, help="untimed warm-up steps (also the epoch length of timing runs)")
    p.add_argument("--repeat", type=int, default=3, help="interleaved Edgewise+PyTorch runs per configuration (median)")
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--weight-decay", type=float, default=0.01, help="AdamW decoupled weight decay, both frameworks")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--full", action="store_true", help="also fine-tune a whole epoch and report test accuracy")
    p.add_argument("--full-epochs", type=int, default=1)
    p.add_argument("--full-lr", type=float, default=1e-4)
    p.add_argument("--full-train-count", type=int, default=0, help="training images of the --full runs (0: all 60,000)")
    p.add_argument("--full-threads", type=int, default=0,
                   help="threads of the --full runs (default: the largest of --threads)")
    p.add_argument("--edgewise", default=os.path.join(ROOT, "build", "edgewise"))
    p.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--out", help="also write the Markdown table here")
    p.add_argument("--no-check", action="store_true", help="skip the converter check against edgewise run")
    # PyTorch worker (internal)
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--model", help=argparse.SUPPRESS)
    p.add_argument("--epochs", type=int, default=1, help=argparse.SUPPRESS)
    p.add_argument("--train-count", type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument("--test", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--check", nargs=2, metavar=("X_NPY", "EDGEWISE_NPY"), help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    a.edgewise = os.path.abspath(a.edgewise)
    if a.steps < 1 or a.warmup < 1 or a.repeat < 1:
        p.error("--steps, --warmup and --repeat must be >= 1")
    return a


def main(argv):
    a = parse(argv[1:])
    if a.worker:
        a.threads = int(a.threads_list)
        return torch_worker(a)
    return orchestrate(a, ["bench/train_compare"] + argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
