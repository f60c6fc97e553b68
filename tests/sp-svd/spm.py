#!/usr/bin/env python3
"""spm.py: writes and dumps sp matrix files (schemas/matrix.md) for the sp-svd tests.

  spm.py gen ROWS COLS SEED [--dense] [--f64] [--nnz N] [--no-labels] [--no-colnames]
      a deterministic random matrix: each row has about N (default 4)
      non-zeros with small integer values (exact in float32), labels
      {"track_id":"tI"}, column names "cJ"; written to stdout.
  spm.py rows FILE [--dense] [--f64]
      the matrix whose rows are given as lines of "j:v j:v ..." in FILE.
  spm.py dump FILE
      the header, column names, labels and values (%.6g) as text.
"""
import random
import struct
import sys

MAGIC = b"SPMAT\r\n\x1a"


def pad8(b):
    return b + b"\0" * (-len(b) % 8)


def write(rows, ncols, dense=False, f64=False, labels=True, colnames=True, out=None):
    out = out or sys.stdout.buffer
    fmt = "d" if f64 else "f"
    cn = b"".join(b'"c%d"\n' % j for j in range(ncols)) if colnames and ncols else b""
    lab = b"".join(b'{"track_id":"t%d"}\n' % i for i in range(len(rows))) if labels and rows else b""
    if dense:
        vals = [0.0] * (len(rows) * ncols)
        for i, r in enumerate(rows):
            for j, v in r:
                vals[i * ncols + j] = v
        nval = len(vals)
        body = pad8(struct.pack("<%d%s" % (nval, fmt), *vals))
    else:
        indptr, idx, vals = [0], [], []
        for r in rows:
            for j, v in sorted(r):
                idx.append(j)
                vals.append(v)
            indptr.append(len(idx))
        nval = len(vals)
        body = (struct.pack("<%dQ" % len(indptr), *indptr)
                + pad8(struct.pack("<%dI" % nval, *idx))
                + pad8(struct.pack("<%d%s" % (nval, fmt), *vals)))
    h = MAGIC + struct.pack("<II", 1, 0x01020304)
    h += bytes([2 if dense else 1, 2 if f64 else 1, 4, 0, 0, 0, 0, 0])
    h += struct.pack("<QQQQQ", len(rows), ncols, nval, len(cn), len(lab))
    out.write(h + pad8(cn) + pad8(lab) + body)


def gen(argv):
    n, d, seed = int(argv[0]), int(argv[1]), int(argv[2])
    opts = argv[3:]
    nnz = int(opts[opts.index("--nnz") + 1]) if "--nnz" in opts else 4
    rnd = random.Random(seed)
    rows = []
    for _ in range(n):
        cols = set()
        for _ in range(nnz):
            # Popular columns first: a skewed choice, like one-hot artists.
            cols.add(min(d - 1, int(d * rnd.random() ** 2)))
        rows.append([(j, float(rnd.randint(1, 4))) for j in sorted(cols)])
    write(rows, d, "--dense" in opts, "--f64" in opts, "--no-labels" not in opts,
          "--no-colnames" not in opts)


def rows_from(argv):
    rows, d = [], 0
    with open(argv[0]) as f:
        for line in f:
            r = []
            for t in line.split():
                j, v = t.split(":")
                r.append((int(j), float(v)))
                d = max(d, int(j) + 1)
            rows.append(r)
    opts = argv[1:]
    write(rows, d, "--dense" in opts, "--f64" in opts)


def dump(argv):
    data = open(argv[0], "rb").read()
    assert data[:8] == MAGIC, "bad magic"
    layout, dtype = data[16], data[17]
    rows, cols, nval, cnb, labb = struct.unpack("<QQQQQ", data[24:64])
    print("layout %s dtype %s rows %d cols %d nnz %d" % (
        "csr" if layout == 1 else "dense", "f32" if dtype == 1 else "f64", rows, cols, nval))
    off = 64
    cn = data[off:off + cnb].decode()
    off += cnb + (-cnb % 8)
    lab = data[off:off + labb].decode()
    off += labb + (-labb % 8)
    print("colnames " + " ".join(cn.split("\n")[:-1]))
    fmt, vs = ("f", 4) if dtype == 1 else ("d", 8)
    if layout == 1:
        indptr = struct.unpack_from("<%dQ" % (rows + 1), data, off)
        off += 8 * (rows + 1)
        idx = struct.unpack_from("<%dI" % nval, data, off)
        off += 4 * nval + (-4 * nval % 8)
    vals = struct.unpack_from("<%d%s" % (nval, fmt), data, off)
    labels = lab.split("\n")[:-1] if labb else [""] * rows
    for i in range(rows):
        if layout == 1:
            r = " ".join("%d:%.6g" % (idx[e], vals[e]) for e in range(indptr[i], indptr[i + 1]))
        else:
            r = " ".join("%.6g" % v for v in vals[i * cols:(i + 1) * cols])
        print("%s\t%s" % (labels[i], r))


if __name__ == "__main__":
    {"gen": gen, "rows": rows_from, "dump": dump}[sys.argv[1]](sys.argv[2:])
