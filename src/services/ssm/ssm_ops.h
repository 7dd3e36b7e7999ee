// What SSM's handler files share: the handlers themselves, the caller's scope, the output
// shapes built from stored versions, and page tokens.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "services/service.h"
#include "services/ssm/parameter.h"

namespace nimbus::store {
class Database;
}

namespace nimbus::ssm {

Scope scope_of(const Call& call);
store::Database& db_of(const Call& call);

// The value as the caller may see it: SecureString decrypted only when `decrypt`, else the
// ciphertext blob in base64, as AWS returns it.
std::string visible_value(const Call& call, const ParameterVersion& p, bool decrypt);
// The Parameter shape (GetParameter, GetParameters, GetParametersByPath).
Document parameter_document(const Call& call, const ParameterVersion& p, bool decrypt,
                            const std::string& selector = "");
// The ParameterMetadata shape (DescribeParameters).
Document metadata_document(const Call& call, const ParameterVersion& p);

// Opaque NextToken values; a token nimbus did not hand out is InvalidNextToken.
std::string encode_token(std::string_view position);
std::string decode_token(const std::optional<std::string>& token);

// parameter_ops.cc
Document put_parameter(Call& call);
Document get_parameter(Call& call);
Document get_parameters(Call& call);
Document delete_parameter(Call& call);
Document delete_parameters(Call& call);
Document get_parameter_history(Call& call);
// query_ops.cc
Document get_parameters_by_path(Call& call);
Document describe_parameters(Call& call);
// label_tag_ops.cc
Document label_parameter_version(Call& call);
Document unlabel_parameter_version(Call& call);
Document add_tags_to_resource(Call& call);
Document remove_tags_from_resource(Call& call);
Document list_tags_for_resource(Call& call);

}  // namespace nimbus::ssm
