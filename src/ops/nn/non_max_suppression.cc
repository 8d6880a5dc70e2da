// NonMaxSuppression: per batch and class, greedily keeps the highest-scoring
// boxes whose IoU with every kept box is <= iou_threshold, among boxes
// scoring above score_threshold, at most max_output_boxes_per_class each.
// Output [num_selected, 3] int64 rows (batch, class, box); its length depends
// on the data, so run() allocates it.
#include <algorithm>
#include <numeric>

#include "ops/op.h"

namespace ew {
namespace {

Status infer_nms(InferContext& ctx) {
  if (!is_float(ctx.input_type(0).dtype) || ctx.input_type(1).dtype != ctx.input_type(0).dtype)
    return ctx.error("boxes and scores must be float tensors of one type");
  int64_t cpb = ctx.node().attr_int("center_point_box", 0);
  if (cpb != 0 && cpb != 1) return ctx.error("center_point_box must be 0 or 1");
  ctx.set_output(0, DType::kInt64, std::vector<Dim>{Dim(), Dim(3)});
  return Status::ok();
}

struct Box {
  double y1, x1, y2, x2;
};

Box corner_box(const double* b, bool center) {
  if (center) return {b[1] - b[3] / 2, b[0] - b[2] / 2, b[1] + b[3] / 2, b[0] + b[2] / 2};
  return {std::min(b[0], b[2]), std::min(b[1], b[3]), std::max(b[0], b[2]), std::max(b[1], b[3])};
}

double iou(const Box& a, const Box& b) {
  const double ih = std::min(a.y2, b.y2) - std::max(a.y1, b.y1);
  const double iw = std::min(a.x2, b.x2) - std::max(a.x1, b.x1);
  if (ih <= 0 || iw <= 0) return 0;
  const double inter = ih * iw;
  const double uni = (a.y2 - a.y1) * (a.x2 - a.x1) + (b.y2 - b.y1) * (b.x2 - b.x1) - inter;
  return uni > 0 ? inter / uni : 0;
}

double scalar_input(const KernelContext& ctx, int i, double fallback) {
  return ctx.has_input(i) && ctx.input(i).numel() > 0 ? ctx.input(i).get_double(0) : fallback;
}

Status run_nms(KernelContext& ctx) {
  const Tensor& boxes = ctx.input(0);
  const Tensor& scores = ctx.input(1);
  if (boxes.rank() != 3 || boxes.dim(2) != 4) return ctx.error("boxes must be [batch, boxes, 4], got " + boxes.describe());
  if (scores.rank() != 3 || scores.dim(0) != boxes.dim(0) || scores.dim(2) != boxes.dim(1))
    return ctx.error("scores " + scores.describe() + " does not match boxes " + boxes.describe());
  const int64_t B = boxes.dim(0), S = boxes.dim(1), K = scores.dim(1);
  const int64_t max_out = ctx.has_input(2) && ctx.input(2).numel() > 0 ? ctx.input(2).get_int64(0) : 0;
  const double iou_threshold = scalar_input(ctx, 3, 0.0);
  const bool has_score_threshold = ctx.has_input(4) && ctx.input(4).numel() > 0;
  const double score_threshold = scalar_input(ctx, 4, 0.0);
  if (iou_threshold < 0 || iou_threshold > 1) return ctx.error("iou_threshold must be in [0, 1]");
  const bool center = ctx.node().attr_int("center_point_box", 0) == 1;
  std::vector<Box> corners(static_cast<size_t>(S));
  std::vector<int64_t> order, kept, selected;
  for (int64_t b = 0; b < B; ++b) {
    for (int64_t s = 0; s < S; ++s) {
      double v[4];
      for (int k = 0; k < 4; ++k) v[k] = boxes.get_double((b * S + s) * 4 + k);
      corners[s] = corner_box(v, center);
    }
    for (int64_t c = 0; c < K && max_out > 0; ++c) {
      const int64_t base = (b * K + c) * S;
      order.clear();
      for (int64_t s = 0; s < S; ++s)
        if (!has_score_threshold || scores.get_double(base + s) > score_threshold) order.push_back(s);
      std::stable_sort(order.begin(), order.end(),
                       [&](int64_t i, int64_t j) { return scores.get_double(base + i) > scores.get_double(base + j); });
      kept.clear();
      for (int64_t s : order) {
        if (static_cast<int64_t>(kept.size()) >= max_out) break;
        bool keep = true;
        for (int64_t k : kept) keep = keep && iou(corners[s], corners[k]) <= iou_threshold;
        if (!keep) continue;
        kept.push_back(s);
        selected.insert(selected.end(), {b, c, s});
      }
    }
  }
  auto out = ctx.allocate_output(0, DType::kInt64, {static_cast<int64_t>(selected.size() / 3), 3});
  if (!out.is_ok()) return out.status();
  std::copy(selected.begin(), selected.end(), (*out)->data<int64_t>());
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "NonMaxSuppression", .since_version = 10, .infer = infer_nms, .run = run_nms);

}  // namespace ew
