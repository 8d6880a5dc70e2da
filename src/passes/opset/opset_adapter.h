// One adapter rewrites one op across one opset boundary of the default ONNX
// domain: the opset where the op's new form starts. The converter walks from
// the model's opset to the target one step at a time; on the step
// boundary-1 -> boundary it calls `up`, on boundary -> boundary-1 `down`, for
// every node of that op (in every subgraph). An adapter leaves the node in the
// form of the step's destination opset, possibly with helper nodes added
// before or after it; nodes it adds are already in that form and are adapted
// again only on later steps.
//
// Ops whose version changes carry no semantic change need no adapter: the
// converter only updates the opset import, and the schema check
// (opset_schema_check.h) makes sure every node is valid at the target.
//
// Adapters never abort and never leave a silent semantic change: what cannot
// be expressed at the destination fails with a Status naming the node.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace ew::opset {

// Names used anywhere in the model (every scope), so added values never clash.
class NameTable {
 public:
  explicit NameTable(const Model& model);
  std::string fresh(const std::string& hint);

 private:
  std::set<std::string> used_;
};

// State shared by every adapter call of one conversion.
struct ConversionState {
  explicit ConversionState(const Model& model) : names(model) {}
  NameTable names;
  std::set<std::string> released;  // constants an adapter stopped reading; pruned at the end when unused
  std::set<std::string> marks;     // facts an adapter leaves for a later step ("upsample:<node>")
};

class AdapterContext {
 public:
  AdapterContext(Model& model, Graph& graph, std::vector<Graph*> outer, Node& node, int64_t from, int64_t to,
                 ConversionState& state);

  Model& model;
  Graph& graph;  // the graph holding `node`
  Node& node;
  int64_t from() const { return from_; }
  int64_t to() const { return to_; }

  // The constant behind a value: an initializer or a Constant node's output, in
  // this graph or an enclosing one; nullptr when the value is computed.
  const Tensor* constant(const std::string& name) const;
  // Input i as a constant: nullptr when the input is absent; fails naming the
  // node when it is present but computed at run time.
  Result<const Tensor*> constant_input(int i, const std::string& what) const;
  // Static type of a value (nullptr when unknown), its rank (-1) and dtype.
  const ValueType* type(const std::string& name) const;
  int64_t rank(const std::string& name) const;
  DType dtype(const std::string& name) const;

  std::string fresh(const std::string& hint) { return state_.names.fresh(hint); }
  // Adds an initializer to this graph; returns its name.
  std::string add_constant(const std::string& hint, Tensor value);
  // Adds a node computing one fresh value, placed before (it reads only what
  // `node` can read) or after (it may read `node`'s outputs) the node.
  std::string add_before(const std::string& op, const std::vector<std::string>& inputs,
                         const std::map<std::string, Attribute>& attrs = {});
  std::string add_after(const std::string& op, const std::vector<std::string>& inputs,
                        const std::map<std::string, Attribute>& attrs = {});
  // Same, but the added node writes `output` (e.g. the node's former output name).
  void add_after_into(const std::string& op, const std::vector<std::string>& inputs, const std::string& output,
                      const std::map<std::string, Attribute>& attrs = {});
  // Renames output i of the node to a fresh value and returns the new name; a
  // node added after must then produce the old name.
  std::string detach_output(int i);
  // Removes input i of the node (the inputs after it shift down), releasing a constant behind it.
  void erase_input(int i);
  // Sets input i, padding with absent inputs.
  void set_input(int i, const std::string& value);
  // The node disappears (its outputs must be produced by nodes added before or after).
  void remove_node() { removed_ = true; }
  // The constant `name` may have lost its last reader.
  void release(const std::string& name) { if (!name.empty()) state_.released.insert(name); }

  // Facts about this node that later steps can read (see ConversionState::marks).
  void mark(const std::string& fact) { state_.marks.insert(fact + ":" + node_id()); }
  bool marked(const std::string& fact) const { return state_.marks.count(fact + ":" + node_id()) > 0; }
  // The node's name, else its first output's.
  std::string node_id() const;

  // unsupported("node 'x' (Op): message ...")
  Status fail(const std::string& message) const;
  // Records what was rewritten, for the report.
  void note(const std::string& change) { notes_.push_back(change); }

  std::vector<Node>& nodes_before() { return before_; }
  std::vector<Node>& nodes_after() { return after_; }
  bool removed() const { return removed_; }
  const std::vector<std::string>& notes() const { return notes_; }

 private:
  Node make_node(const std::string& op, const std::vector<std::string>& inputs, const std::string& output,
                 const std::map<std::string, Attribute>& attrs);

  std::vector<Graph*> outer_;  // enclosing graphs, outermost first
  int64_t from_, to_;
  ConversionState& state_;
  std::vector<Node> before_, after_;
  bool removed_ = false;
  std::vector<std::string> notes_;
  mutable std::map<std::string, Tensor> constant_nodes_;  // values of Constant nodes, read once
  mutable std::map<std::string, ValueType> constant_types_;  // types of constants, for type()
};

using AdaptFn = Status (*)(AdapterContext&);

struct OpsetAdapter {
  const char* op_type = "";
  int64_t boundary = 0;   // first opset of the op's new form
  AdaptFn up = nullptr;   // boundary-1 -> boundary; nullptr: nothing to rewrite
  AdaptFn down = nullptr; // boundary -> boundary-1
};

// ---- small tensor helpers shared by adapters ----

// A one-element tensor of `dtype` holding `value` (rank 0, or rank 1 when `as_vector`).
Result<Tensor> scalar_tensor(DType dtype, double value, bool as_vector = false);
Tensor int64_vector(const std::vector<int64_t>& values);
Tensor float_vector(const std::vector<float>& values);
std::vector<float> float_values(const Tensor& t);
// Attribute of a node equal to `values` (ints) / `value` (string) etc.
inline Attribute ints_attr(std::vector<int64_t> v) { return Attribute::make_ints(std::move(v)); }
inline Attribute int_attr(int64_t v) { return Attribute::make_int(v); }
inline Attribute string_attr(std::string v) { return Attribute::make_string(std::move(v)); }

}  // namespace ew::opset
