// The one error type of nimbus (STYLE.md habit 4): thrown by any layer, rendered into the
// wire format by the protocol of the request in exactly one place (the dispatcher's catch).
#pragma once

#include <exception>
#include <string>
#include <utility>
#include <vector>

namespace nimbus {

struct AwsError : std::exception {
  std::string code;     // equals the model's error shape name where the model has one
  std::string message;  // AWS's own wording
  int status = 400;
  bool sender_fault = true;  // query protocols say <Type>Sender</Type> or Receiver
  // Extra fields rendered beside Code and Message, in order (S3's SignatureDoesNotMatch
  // carries StringToSign and CanonicalRequest; NoSuchBucket carries BucketName).
  std::vector<std::pair<std::string, std::string>> extra;
  // Extra response headers (e.g. x-amz-bucket-region on S3 redirects).
  std::vector<std::pair<std::string, std::string>> headers;

  AwsError() = default;
  AwsError(std::string code, std::string message, int status = 400)
      : code(std::move(code)), message(std::move(message)), status(status),
        sender_fault(status < 500) {}
  AwsError& with(std::string name, std::string value) {
    extra.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  const char* what() const noexcept override { return message.c_str(); }
};

// Common errors every service shares. The code strings are AWS's own.
AwsError not_implemented(std::string_view service, std::string_view operation);
AwsError validation_error(std::string message);  // code "ValidationException"/per protocol
AwsError internal_failure(std::string_view request_id);

}  // namespace nimbus
