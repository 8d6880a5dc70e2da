#include "ir/onnx_import.h"

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include "ir/onnx_export.h"
#include "test_util.h"

namespace ew {

namespace {
onnx::ModelProto relu_model() {
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.add_opset_import()->set_version(17);
  auto* g = m.mutable_graph();
  g->set_name("g");
  auto* in = g->add_input();
  in->set_name("x");
  auto* tt = in->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(onnx::TensorProto::FLOAT);
  tt->mutable_shape()->add_dim()->set_dim_param("N");
  tt->mutable_shape()->add_dim()->set_dim_value(4);
  auto* n = g->add_node();
  n->set_op_type("Relu");
  n->add_input("x");
  n->add_output("y");
  g->add_output()->set_name("y");
  return m;
}
}  // namespace

TEST(OnnxImport, ReadsTypesWithSymbolicDims) {
  auto m = parse_onnx(relu_model().SerializeAsString());
  ASSERT_TRUE(m.is_ok()) << m.status().to_string();
  EXPECT_EQ(m->opset(""), 17);
  ASSERT_EQ(m->graph.inputs.size(), 1u);
  EXPECT_EQ(m->graph.inputs[0].type.to_string(), "float32[N,4]");
}

TEST(OnnxImport, TruncatedAndCorruptFilesAreErrors) {
  std::string bytes = relu_model().SerializeAsString();
  for (size_t cut : {size_t{0}, size_t{1}, bytes.size() / 2, bytes.size() - 1}) {
    auto m = parse_onnx(bytes.substr(0, cut));
    EXPECT_FALSE(m.is_ok()) << "cut at " << cut;
  }
  EXPECT_EQ(parse_onnx("\x08\x08\x12\xff\xff\xff\xff\x0f").status().code(), StatusCode::kInvalidModel);
  EXPECT_EQ(load_onnx("/nonexistent/model.onnx").status().code(), StatusCode::kNotFound);
}

TEST(OnnxImport, NegativeDeclaredDimIsAnError) {
  auto p = relu_model();
  p.mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim(1)->set_dim_value(-3);
  auto m = parse_onnx(p.SerializeAsString());
  ASSERT_FALSE(m.is_ok());
  EXPECT_NE(m.status().message().find("negative"), std::string::npos);
}

TEST(OnnxImport, InitializersListedAsInputsAreConstants) {
  auto p = relu_model();
  auto* init = p.mutable_graph()->add_initializer();
  init->set_name("w");
  init->set_data_type(onnx::TensorProto::FLOAT);
  init->add_float_data(1.0f);
  p.mutable_graph()->add_input()->set_name("w");
  auto m = parse_onnx(p.SerializeAsString());
  ASSERT_TRUE(m.is_ok());
  EXPECT_EQ(m->graph.inputs.size(), 1u);
  EXPECT_TRUE(m->graph.is_initializer("w"));
}

TEST(OnnxExport, RoundTripsGraphAttributesAndSubgraphs) {
  auto p = relu_model();
  auto* n = p.mutable_graph()->mutable_node(0);
  auto* a = n->add_attribute();
  a->set_name("ints");
  a->set_type(onnx::AttributeProto::INTS);
  a->add_ints(3);
  a->add_ints(-1);
  auto* gattr = n->add_attribute();
  gattr->set_name("body");
  gattr->set_type(onnx::AttributeProto::GRAPH);
  gattr->mutable_g()->set_name("inner");
  auto m1 = parse_onnx(p.SerializeAsString());
  ASSERT_TRUE(m1.is_ok()) << m1.status().to_string();
  auto bytes = serialize_onnx(*m1);
  ASSERT_TRUE(bytes.is_ok());
  auto m2 = parse_onnx(*bytes);
  ASSERT_TRUE(m2.is_ok());
  const Node& node = m2->graph.nodes[0];
  EXPECT_EQ(node.attr_ints("ints"), (std::vector<int64_t>{3, -1}));
  ASSERT_NE(node.attr_graph("body"), nullptr);
  EXPECT_EQ(node.attr_graph("body")->name, "inner");
  EXPECT_EQ(m2->graph.inputs[0].type.to_string(), "float32[N,4]");
  EXPECT_EQ(*serialize_onnx(*m2), *bytes) << "export must be stable";
}

}  // namespace ew
