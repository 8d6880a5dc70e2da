// Rewriting If/Loop/Scan bodies with code written for a whole model (the
// optimizer's passes, preprocessing, the quantizers). Each body is lent out,
// in turn, as the main graph of a scratch Model, set up so that code working
// on `model.graph` treats it correctly:
//
//   - values of enclosing graphs the body may read (outer scope) are extra
//     graph inputs after the body's own, with their known types: they are
//     defined, non-constant values, so sort_and_validate, shape inference and
//     passes accept them and no pass can fold, rename or delete them;
//   - every other name used anywhere in the model is an extra untyped input
//     too, so fresh names made in the body (fresh_name, add_initializer) are
//     unique model-wide and never shadow or repeat an outer name;
//   - optionally, outer initializers the body reads are copied in as the
//     body's own initializers, so a rewrite sees them as constants (a weight
//     kept in the main graph and used inside a Loop body gets quantized there).
//
// Afterwards the extra inputs and the unused copies are removed, opsets the
// rewrite imported (com.microsoft) are added to the model, and the rewritten
// body replaces the original in its attribute as a new Graph object, so a
// body shared with another Model by a shallow copy is left as it was.
#pragma once

#include <functional>
#include <string>

#include "ir/graph.h"

namespace ew {

struct BodyRewriteOptions {
  int version = 1;
  // Copy outer initializers the body reads into the lent body (see above).
  // Copies the rewrite left in place are dropped again (the body reads the
  // outer tensor as before); an outer initializer that nothing reads after
  // all bodies are rewritten is dropped from its graph.
  bool lend_outer_initializers = false;
};

// Called with the lent body (scratch.graph) and its path: "<node>/<attribute>"
// such as "If_0/then_branch", nested "Loop_0/body/If_1/else_branch", where
// <node> is the control-flow node's name (its first output when unnamed) and
// a graphs-list attribute adds "[k]".
using BodyRewrite = std::function<Status(Model& scratch, const std::string& path)>;

// Calls `rewrite` on every body of `model`, outer bodies before the bodies
// nested in them (which are then visited in their rewritten form). Stops at
// the first error, which names the body's path.
Status rewrite_bodies(Model& model, const BodyRewriteOptions& options, const BodyRewrite& rewrite);

// "<path>/<name>", or `name` when `path` is empty (the main graph): how
// reports and options name a node inside a body.
std::string scoped_name(const std::string& path, const std::string& name);

}  // namespace ew
