// If: runs then_branch or else_branch, chosen by a one-element bool, and
// returns that branch's outputs. Branches may produce different shapes, so the
// static shape is known only when both branches declare the same one.
#include "ops/control/subgraph_io.h"

namespace ew {
namespace {

Status check_branches(const InferContext& ctx, const Graph& then_g, const Graph& else_g) {
  if (!then_g.inputs.empty() || !else_g.inputs.empty()) return ctx.error("If branches must not take inputs");
  if (then_g.outputs.size() != else_g.outputs.size())
    return ctx.error("then_branch has " + std::to_string(then_g.outputs.size()) + " outputs but else_branch has " +
                     std::to_string(else_g.outputs.size()));
  if (static_cast<size_t>(ctx.num_outputs()) != then_g.outputs.size())
    return ctx.error("the node has " + std::to_string(ctx.num_outputs()) + " outputs but its branches have " +
                     std::to_string(then_g.outputs.size()));
  return Status::ok();
}

Status infer_if(InferContext& ctx) {
  if (!ctx.has_input(0)) return ctx.error("missing input 'cond'");
  const ValueType& cond = ctx.input_type(0);
  if (cond.dtype != DType::kUndefined && cond.dtype != DType::kBool)
    return ctx.error(std::string("cond must be bool, got ") + dtype_name(cond.dtype));
  EW_ASSIGN_OR_RETURN(const Graph* then_g, body_attr(ctx.node(), "then_branch"));
  EW_ASSIGN_OR_RETURN(const Graph* else_g, body_attr(ctx.node(), "else_branch"));
  EW_RETURN_IF_ERROR(check_branches(ctx, *then_g, *else_g));
  for (int i = 0; i < ctx.num_outputs(); ++i) {
    const ValueType& a = then_g->outputs[i].type;
    const ValueType& b = else_g->outputs[i].type;
    if (a.dtype != DType::kUndefined && b.dtype != DType::kUndefined && a.dtype != b.dtype)
      return ctx.error("output " + std::to_string(i) + " is " + dtype_name(a.dtype) + " in then_branch but " +
                       dtype_name(b.dtype) + " in else_branch");
    DType dtype = a.dtype != DType::kUndefined ? a.dtype : b.dtype;
    if (dtype == DType::kUndefined) continue;
    if (a.has_shape && b.has_shape && a.dims == b.dims) ctx.set_output(i, ValueType{dtype, true, a.dims});
    else ctx.set_output_dtype_only(i, dtype);
  }
  return Status::ok();
}

Status run_if(KernelContext& ctx) {
  auto cond = read_condition(ctx.input(0), "cond");
  if (!cond.is_ok()) return ctx.error(cond.status().message());
  EW_ASSIGN_OR_RETURN(const Graph* body, body_attr(ctx.node(), *cond ? "then_branch" : "else_branch"));
  if (!ctx.subgraphs()) return internal_error("node " + ctx.node().label() + ": no subgraph runner");
  auto outs = ctx.subgraphs()->run(*body, {});
  if (!outs.is_ok()) return outs.status().with_context("node " + ctx.node().label() + ": ");
  if (static_cast<int>(outs->size()) != ctx.num_outputs())
    return ctx.error("branch produced " + std::to_string(outs->size()) + " outputs, expected " +
                     std::to_string(ctx.num_outputs()));
  for (int i = 0; i < ctx.num_outputs(); ++i) ctx.set_output(i, std::move((*outs)[i]));
  return Status::ok();
}

}  // namespace

EW_REGISTER_OP(.op_type = "If", .infer = infer_if, .run = run_if);

}  // namespace ew
