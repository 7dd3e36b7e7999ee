// S3 Select (SelectObjectContent): the SQL engine over CSV and JSON objects and the
// binary event stream it answers with. The S3 handler calls select_object_content() and
// sends the returned stream as the response body.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/document.h"
#include "core/http_message.h"

namespace nimbus::s3select {

// Runs the query described by `input` (the SelectObjectContent input document as the
// rest-xml codec parsed it: Expression, ExpressionType, InputSerialization,
// OutputSerialization, RequestProgress, ScanRange) over the object stored at
// object_path (object_size bytes), reading it as a stream. Returns the event-stream body
// (Records, Stats, Progress when requested, Cont, End). Errors found before any output
// (SQL parse errors, bad serialization options) are thrown as AwsError with AWS's codes;
// errors met while scanning become an error event in the stream, as AWS sends them.
std::shared_ptr<BodyStream> select_object_content(const Document& input,
                                                  const std::string& object_path,
                                                  uint64_t object_size);

}  // namespace nimbus::s3select
