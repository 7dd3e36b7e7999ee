// The EC2 instance metadata service as SDKs use it for credentials (IMDSv2 tokens, the
// instance role's temporary credentials, the instance identity document), so that
// AWS_EC2_METADATA_SERVICE_ENDPOINT=http://localhost:4566/ gives an SDK the credentials of
// `nimbus serve --instance-role NAME`: the credential path AWS teaches as best practice.
#pragma once

#include <memory>

#include "core/http_message.h"
#include "services/service.h"

namespace nimbus::http {

class InstanceMetadata {
 public:
  explicit InstanceMetadata(const Env& env);
  ~InstanceMetadata();
  // True when req is an instance-metadata path (/latest/...); out is then the answer.
  bool handle(const HttpRequest& req, HttpResponse& out);

 private:
  struct State;
  const Env& env_;
  std::unique_ptr<State> state_;
};

}  // namespace nimbus::http
