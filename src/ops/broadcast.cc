#include "ops/broadcast.h"

#include <algorithm>

namespace ew {

Result<std::vector<Dim>> broadcast_dims(const std::vector<Dim>& a, const std::vector<Dim>& b) {
  size_t rank = std::max(a.size(), b.size());
  std::vector<Dim> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    const Dim* da = i < rank - a.size() ? nullptr : &a[i - (rank - a.size())];
    const Dim* db = i < rank - b.size() ? nullptr : &b[i - (rank - b.size())];
    if (!da) { out[i] = *db; continue; }
    if (!db) { out[i] = *da; continue; }
    if (da->known() && db->known()) {
      if (da->value == db->value || db->value == 1) out[i] = *da;
      else if (da->value == 1) out[i] = *db;
      else
        return invalid_argument("shapes cannot broadcast: dimension " + std::to_string(da->value) + " vs " +
                                std::to_string(db->value));
    } else if (da->known() && da->value == 1) {
      out[i] = *db;
    } else if (db->known() && db->value == 1) {
      out[i] = *da;
    } else if (da->known()) {
      out[i] = *da;  // the other is symbolic: it must equal this (or be 1)
    } else if (db->known()) {
      out[i] = *db;
    } else {
      out[i] = (da->symbol == db->symbol) ? *da : Dim{};
    }
  }
  return out;
}

Result<Shape> broadcast_shapes(const Shape& a, const Shape& b) {
  size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      return invalid_argument("shapes " + shape_to_string(a) + " and " + shape_to_string(b) + " cannot broadcast");
    out[i] = da == 1 ? db : da;
  }
  return out;
}

Status infer_broadcast(InferContext& ctx, DType dtype) {
  if (!ctx.has_input(0)) return ctx.error("missing input 0");
  ValueType out{dtype == DType::kUndefined ? ctx.input_type(0).dtype : dtype, true, {}};
  bool first = true;
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    if (!ctx.has_input(i)) continue;
    const ValueType& t = ctx.input_type(i);
    if (!t.has_shape) {
      ctx.set_output_dtype_only(0, out.dtype);
      return Status::ok();
    }
    if (first) {
      out.dims = t.dims;
      first = false;
      continue;
    }
    auto dims = broadcast_dims(out.dims, t.dims);
    if (!dims.is_ok()) return ctx.error(dims.status().message());
    out.dims = std::move(dims).value();
  }
  ctx.set_output(0, std::move(out));
  return Status::ok();
}

Status infer_same_as_input(InferContext& ctx) {
  if (!ctx.has_input(0)) return ctx.error("missing input 0");
  ctx.set_output(0, ctx.input_type(0));
  return Status::ok();
}

std::vector<int64_t> broadcast_strides(const Shape& in, const Shape& out) {
  std::vector<int64_t> strides(out.size(), 0);
  int64_t s = 1;
  for (int64_t i = static_cast<int64_t>(in.size()) - 1, o = static_cast<int64_t>(out.size()) - 1; i >= 0; --i, --o) {
    strides[o] = in[i] == 1 ? 0 : s;
    s *= in[i];
  }
  return strides;
}

}  // namespace ew
