#include "ir/onnx_import.h"

#include <onnx/onnx_pb.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/tensor_proto.h"

namespace ew {

namespace {

constexpr int kMaxSubgraphDepth = 32;

Result<Graph> import_graph(const onnx::GraphProto& gp, const std::string& base_dir, int depth);

Result<ValueType> import_type(const onnx::TypeProto& tp, const std::string& value_name) {
  if (!tp.has_tensor_type()) {
    if (tp.has_sequence_type()) return unsupported("value '" + value_name + "' is a sequence; sequences are not supported");
    if (tp.has_optional_type()) return unsupported("value '" + value_name + "' is an optional; optionals are not supported");
    if (tp.has_map_type()) return unsupported("value '" + value_name + "' is a map; maps are not supported");
    return ValueType{};
  }
  const auto& tt = tp.tensor_type();
  ValueType vt;
  if (tt.elem_type() != 0) {
    auto dt = dtype_from_onnx(tt.elem_type());
    if (!dt.is_ok()) return dt.status().with_context("value '" + value_name + "': ");
    vt.dtype = *dt;
  }
  if (tt.has_shape()) {
    vt.has_shape = true;
    for (const auto& d : tt.shape().dim()) {
      if (d.has_dim_value()) {
        if (d.dim_value() < 0)
          return invalid_model("value '" + value_name + "' declares negative dimension " + std::to_string(d.dim_value()));
        vt.dims.emplace_back(d.dim_value());
      } else {
        vt.dims.push_back(Dim::symbolic(d.dim_param()));
      }
    }
  }
  return vt;
}

Result<Attribute> import_attribute(const onnx::AttributeProto& ap, const std::string& base_dir, int depth) {
  using K = Attribute::Kind;
  Attribute a;
  auto type = ap.type();
  if (type == onnx::AttributeProto::UNDEFINED) {  // very old files: infer from the set field
    if (ap.has_f()) type = onnx::AttributeProto::FLOAT;
    else if (ap.has_i()) type = onnx::AttributeProto::INT;
    else if (ap.has_s()) type = onnx::AttributeProto::STRING;
    else if (ap.has_t()) type = onnx::AttributeProto::TENSOR;
    else if (ap.has_g()) type = onnx::AttributeProto::GRAPH;
    else if (ap.floats_size()) type = onnx::AttributeProto::FLOATS;
    else if (ap.ints_size()) type = onnx::AttributeProto::INTS;
    else if (ap.strings_size()) type = onnx::AttributeProto::STRINGS;
  }
  if (!ap.ref_attr_name().empty())
    return unsupported("attribute '" + ap.name() + "' refers to a function attribute; functions are not supported");
  switch (type) {
    case onnx::AttributeProto::FLOAT: a.kind = K::kFloat; a.f = ap.f(); break;
    case onnx::AttributeProto::INT: a.kind = K::kInt; a.i = ap.i(); break;
    case onnx::AttributeProto::STRING: a.kind = K::kString; a.s = ap.s(); break;
    case onnx::AttributeProto::FLOATS: a.kind = K::kFloats; a.floats.assign(ap.floats().begin(), ap.floats().end()); break;
    case onnx::AttributeProto::INTS: a.kind = K::kInts; a.ints.assign(ap.ints().begin(), ap.ints().end()); break;
    case onnx::AttributeProto::STRINGS: a.kind = K::kStrings; a.strings.assign(ap.strings().begin(), ap.strings().end()); break;
    case onnx::AttributeProto::TENSOR: {
      a.kind = K::kTensor;
      EW_ASSIGN_OR_RETURN(a.t, tensor_from_proto(ap.t(), base_dir));
      break;
    }
    case onnx::AttributeProto::TENSORS: {
      a.kind = K::kTensors;
      for (const auto& t : ap.tensors()) {
        EW_ASSIGN_OR_RETURN(Tensor x, tensor_from_proto(t, base_dir));
        a.tensors.push_back(std::move(x));
      }
      break;
    }
    case onnx::AttributeProto::GRAPH: {
      a.kind = K::kGraph;
      EW_ASSIGN_OR_RETURN(Graph g, import_graph(ap.g(), base_dir, depth + 1));
      a.g = std::make_shared<Graph>(std::move(g));
      break;
    }
    case onnx::AttributeProto::GRAPHS: {
      a.kind = K::kGraphs;
      for (const auto& gp : ap.graphs()) {
        EW_ASSIGN_OR_RETURN(Graph g, import_graph(gp, base_dir, depth + 1));
        a.graphs.push_back(std::make_shared<Graph>(std::move(g)));
      }
      break;
    }
    case onnx::AttributeProto::SPARSE_TENSOR:
    case onnx::AttributeProto::SPARSE_TENSORS:
      return unsupported("sparse tensor attribute '" + ap.name() + "' is not supported");
    case onnx::AttributeProto::TYPE_PROTO:
    case onnx::AttributeProto::TYPE_PROTOS:
      return unsupported("type attribute '" + ap.name() + "' is not supported");
    default:
      return invalid_model("attribute '" + ap.name() + "' has unknown type " + std::to_string(ap.type()));
  }
  return a;
}

Result<Node> import_node(const onnx::NodeProto& np, const std::string& base_dir, int depth) {
  Node n;
  n.name = np.name();
  n.op_type = np.op_type();
  n.domain = np.domain() == "ai.onnx" ? "" : np.domain();
  if (n.op_type.empty()) return invalid_model("a node named '" + n.name + "' has no op_type");
  n.inputs.assign(np.input().begin(), np.input().end());
  n.outputs.assign(np.output().begin(), np.output().end());
  for (const auto& ap : np.attribute()) {
    if (ap.name().empty()) return invalid_model("node " + n.label() + " has an attribute without a name");
    auto a = import_attribute(ap, base_dir, depth);
    if (!a.is_ok()) return a.status().with_context("node " + n.label() + ", attribute '" + ap.name() + "': ");
    n.attributes[ap.name()] = std::move(a).value();
  }
  return n;
}

Result<Graph> import_graph(const onnx::GraphProto& gp, const std::string& base_dir, int depth) {
  if (depth > kMaxSubgraphDepth) return invalid_model("subgraphs are nested deeper than " + std::to_string(kMaxSubgraphDepth));
  Graph g;
  g.name = gp.name();
  if (gp.sparse_initializer_size()) return unsupported("graph '" + g.name + "' has sparse initializers, which are not supported");
  for (const auto& tp : gp.initializer()) {
    if (tp.name().empty()) return invalid_model("graph '" + g.name + "' has an initializer without a name");
    EW_ASSIGN_OR_RETURN(Tensor t, tensor_from_proto(tp, base_dir));
    g.initializers[tp.name()] = std::move(t);
  }
  for (const auto& vi : gp.input()) {
    if (g.is_initializer(vi.name())) continue;  // IR < 4 lists initializers among inputs
    EW_ASSIGN_OR_RETURN(ValueType vt, import_type(vi.type(), vi.name()));
    g.inputs.push_back({vi.name(), vt});
  }
  for (const auto& vi : gp.output()) {
    EW_ASSIGN_OR_RETURN(ValueType vt, import_type(vi.type(), vi.name()));
    g.outputs.push_back({vi.name(), vt});
  }
  for (const auto& vi : gp.value_info()) {
    auto vt = import_type(vi.type(), vi.name());
    if (vt.is_ok()) g.value_types[vi.name()] = *vt;  // value_info is advisory
  }
  for (const auto& np : gp.node()) {
    EW_ASSIGN_OR_RETURN(Node n, import_node(np, base_dir, depth));
    g.nodes.push_back(std::move(n));
  }
  return g;
}

}  // namespace

Result<Model> parse_onnx(const std::string& bytes, const std::string& base_dir) {
  onnx::ModelProto mp;
  if (bytes.empty()) return invalid_model("the model file is empty");
  if (!mp.ParseFromString(bytes)) return invalid_model("not a valid ONNX model: protobuf parsing failed (truncated or corrupt file?)");
  if (!mp.has_graph()) return invalid_model("the ONNX model has no graph");
  if (mp.functions_size()) return unsupported("model-local functions are not supported");
  Model m;
  m.ir_version = mp.ir_version();
  m.producer_name = mp.producer_name();
  m.producer_version = mp.producer_version();
  m.doc = mp.doc_string();
  for (const auto& kv : mp.metadata_props()) m.metadata[kv.key()] = kv.value();
  for (const auto& o : mp.opset_import()) m.opsets.push_back({o.domain() == "ai.onnx" ? "" : o.domain(), o.version()});
  if (m.opsets.empty()) m.opsets.push_back({"", 1});  // IR 1-2 files had none: opset 1
  EW_ASSIGN_OR_RETURN(m.graph, import_graph(mp.graph(), base_dir, 0));
  EW_RETURN_IF_ERROR(m.graph.sort_and_validate());
  return m;
}

Result<Model> load_onnx(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("cannot open model file '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string dir = std::filesystem::path(path).parent_path().string();
  auto m = parse_onnx(ss.str(), dir.empty() ? "." : dir);
  if (!m.is_ok()) return m.status().with_context(path + ": ");
  return m;
}

}  // namespace ew
