// The Winograd F(4x4, 3x3) inner phases, written once over a 16-lane vector
// type. Included (no guard) by each ISA's file inside its own namespace, after
// it defines: WG_TARGET, struct V, vload/vstore/vzero/vset1/vadd/vsub/vfma
// (vfma(a, b, c) = a·b + c), and kMr (rows of the GEMM microkernel).
// Layouts are described in winograd_kernels.h.

// Bᵀ d on one column (or d B on one row) of a 6x6 input tile.
WG_TARGET inline void input_1d(V d0, V d1, V d2, V d3, V d4, V d5, V* o) {
  o[0] = vfma(vset1(4.0f), d0, vfma(vset1(-5.0f), d2, d4));
  o[1] = vfma(vset1(-4.0f), vadd(d1, d2), vadd(d3, d4));
  o[2] = vfma(vset1(4.0f), vsub(d1, d2), vsub(d4, d3));
  o[3] = vfma(vset1(-2.0f), vsub(d1, d3), vsub(d4, d2));
  o[4] = vfma(vset1(2.0f), vsub(d1, d3), vsub(d4, d2));
  o[5] = vfma(vset1(4.0f), d1, vfma(vset1(-5.0f), d3, d5));
}

// Aᵀ m on one column (or m A on one row) of a 6x6 product tile.
WG_TARGET inline void output_1d(V m0, V m1, V m2, V m3, V m4, V m5, V* o) {
  V s12 = vadd(m1, m2), d12 = vsub(m1, m2), s34 = vadd(m3, m4), d34 = vsub(m3, m4);
  o[0] = vadd(vadd(m0, s12), s34);
  o[1] = vfma(vset1(2.0f), d34, d12);
  o[2] = vfma(vset1(4.0f), s34, s12);
  o[3] = vadd(vfma(vset1(8.0f), d34, d12), m5);
}

// One tile, one block of 16 channels: src is the tile's top-left corner in the
// padded input; results go to v[p * point_stride], p = 6·row + column.
WG_TARGET inline void input_tile(const float* src, int64_t row_stride, float* v, int64_t point_stride) {
  V t[6][6];
  for (int i = 0; i < 6; ++i) {
    const float* r = src + i * row_stride;
    V row[6];
    input_1d(vload(r), vload(r + 16), vload(r + 32), vload(r + 48), vload(r + 64), vload(r + 80), row);
    for (int j = 0; j < 6; ++j) t[j][i] = row[j];  // t[j] is column j of d B
  }
  for (int j = 0; j < 6; ++j) {
    V col[6];
    input_1d(t[j][0], t[j][1], t[j][2], t[j][3], t[j][4], t[j][5], col);
    for (int i = 0; i < 6; ++i) vstore(v + (i * 6 + j) * point_stride, col[i]);
  }
}

WG_TARGET void input_transform(const WinogradDims& d, const float* padded, int64_t t0, int64_t count, float* v) {
  const int64_t row_stride = d.padded_w * 16;
  const int64_t plane = d.padded_h * row_stride;
  const int64_t point_stride = d.v_point_stride;
  for (int64_t i = 0; i < count; ++i) {
    const int64_t ty = (t0 + i) / d.tiles_w, tx = (t0 + i) % d.tiles_w;
    const float* src = padded + 4 * ty * row_stride + 4 * tx * 16;
    for (int64_t cb = 0; cb < d.cin_pad / 16; ++cb)
      input_tile(src + cb * plane, row_stride, v + i * d.cin_pad + cb * 16, point_stride);
  }
}

// c[r][0..15] = Σ_k a[r·lda + k] · b[k·16 .. k·16 + 15] for r < R.
template <int R>
WG_TARGET inline void micro(int64_t kc, const float* a, int64_t lda, const float* b, float* c, int64_t ldc) {
  V acc[R];
  for (int r = 0; r < R; ++r) acc[r] = vzero();
  for (int64_t k = 0; k < kc; ++k) {
    V bk = vload(b + k * 16);
    for (int r = 0; r < R; ++r) acc[r] = vfma(vset1(a[r * lda + k]), bk, acc[r]);
  }
  for (int r = 0; r < R; ++r) vstore(c + r * ldc, acc[r]);
}

template <int R>
WG_TARGET inline void micro_tail(int64_t rows, int64_t kc, const float* a, int64_t lda, const float* b, float* c,
                                 int64_t ldc) {
  if constexpr (R > 0) {
    if (rows == R)
      micro<R>(kc, a, lda, b, c, ldc);
    else
      micro_tail<R - 1>(rows, kc, a, lda, b, c, ldc);
  }
}

WG_TARGET void multiply(const WinogradDims& d, const float* u, const float* v, int64_t count, int64_t kb0, int64_t kb1,
                        float* m) {
  const int64_t cp = d.cin_pad, kp = d.cout_pad;
  const int64_t kblocks = kp / 16;
  for (int64_t p = 0; p < kWinogradPoints; ++p) {
    const float* vp = v + p * d.v_point_stride;
    float* mp = m + p * d.m_point_stride;
    for (int64_t kb = kb0; kb < kb1; ++kb) {
      const float* panel = u + (p * kblocks + kb) * cp * 16;
      int64_t t = 0;
      for (; t + kMr <= count; t += kMr) micro<kMr>(cp, vp + t * cp, cp, panel, mp + t * kp + kb * 16, kp);
      if (t < count) micro_tail<kMr - 1>(count - t, cp, vp + t * cp, cp, panel, mp + t * kp + kb * 16, kp);
    }
  }
}

WG_TARGET void output_transform(const WinogradDims& d, const float* m, int64_t t0, int64_t count, int64_t kb0,
                                int64_t kb1, float* staged) {
  const int64_t point_stride = d.m_point_stride;
  const int64_t row_stride = d.staged_w * 16;
  const int64_t plane = d.staged_h * row_stride;
  for (int64_t i = 0; i < count; ++i) {
    const int64_t ty = (t0 + i) / d.tiles_w, tx = (t0 + i) % d.tiles_w;
    for (int64_t kb = kb0; kb < kb1; ++kb) {
      const float* src = m + i * d.cout_pad + kb * 16;
      V t[4][6];  // t[a] = row a of Aᵀ M
      for (int j = 0; j < 6; ++j) {
        V col[4];
        output_1d(vload(src + (0 * 6 + j) * point_stride), vload(src + (1 * 6 + j) * point_stride),
                  vload(src + (2 * 6 + j) * point_stride), vload(src + (3 * 6 + j) * point_stride),
                  vload(src + (4 * 6 + j) * point_stride), vload(src + (5 * 6 + j) * point_stride), col);
        for (int a = 0; a < 4; ++a) t[a][j] = col[a];
      }
      float* dst = staged + kb * plane + 4 * ty * row_stride + 4 * tx * 16;
      for (int a = 0; a < 4; ++a) {
        V y[4];
        output_1d(t[a][0], t[a][1], t[a][2], t[a][3], t[a][4], t[a][5], y);
        for (int b = 0; b < 4; ++b) vstore(dst + a * row_stride + b * 16, y[b]);
      }
    }
  }
}

#ifndef WG_HAS_CHANNEL_TRANSPOSE
// dst[x·16 + l] = src[l·plane + x] for x < n; lanes >= `lanes` are zero.
WG_TARGET void pack_channels(const float* src, int64_t plane, int64_t lanes, int64_t n, float* dst) {
  for (int64_t x = 0; x < n; ++x)
    for (int64_t l = 0; l < 16; ++l) dst[x * 16 + l] = l < lanes ? src[l * plane + x] : 0.0f;
}

// dst[l·plane + x] = src[x·16 + l] for x < n, l < lanes.
WG_TARGET void unpack_channels(const float* src, int64_t n, int64_t lanes, float* dst, int64_t plane) {
  for (int64_t l = 0; l < lanes; ++l)
    for (int64_t x = 0; x < n; ++x) dst[l * plane + x] = src[x * 16 + l];
}
#endif

inline const WinogradKernels kKernels = {kIsaName,       input_transform, multiply,       output_transform,
                                         pack_channels, unpack_channels};
