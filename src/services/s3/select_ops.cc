// SelectObjectContent: resolves the object as GetObject does, hands its bytes to the S3 Select
// engine (lang/s3select) as one file, and sends the engine's event stream as the body
// ("SelectObjectContent", https://docs.aws.amazon.com/AmazonS3/latest/API/API_SelectObjectContent.html).
#include "lang/s3select/s3select.h"
#include "services/s3/body.h"
#include "services/s3/s3_state.h"
#include "store/blob_store.h"

namespace nimbus::s3 {
namespace {

// The stream of a select over a multipart object, which was copied into a temporary blob:
// the blob is removed once the response is over (finished, failed or dropped by the client).
class TemporaryBlobStream : public BodyStream {
 public:
  TemporaryBlobStream(std::shared_ptr<BodyStream> inner, store::BlobStore* blobs, std::string blob_id)
      : inner_(std::move(inner)), blobs_(blobs), blob_id_(std::move(blob_id)) {}
  ~TemporaryBlobStream() override { release(); }

  bool next(std::string& chunk) override {
    bool more = inner_->next(chunk);
    if (!more) release();
    return more;
  }

 private:
  void release() noexcept {
    if (blob_id_.empty()) return;
    inner_.reset();  // closes the engine's file before the blob goes
    try {
      blobs_->remove(blob_id_);
    } catch (...) {
      // A blob left behind is an orphan: the sweep at next start removes it.
    }
    blob_id_.clear();
  }

  std::shared_ptr<BodyStream> inner_;
  store::BlobStore* blobs_;
  std::string blob_id_;
};

}  // namespace

Document select_object_content(S3State& st, Call& call) {
  In in = call.in();
  std::string bucket = in.string("Bucket"), key = in.string("Key");
  ObjectVersion v;
  std::vector<ObjectPart> parts;
  {
    store::Snapshot s(*st.db);
    Bucket b = require_bucket(s, call, bucket);
    // SelectObjectContent names no version: it reads the latest, as a plain GET does.
    v = resolve_read(s, b, key, "", "POST");
    if (v.blob_id.empty()) parts = object_parts(s, v.id);
  }
  uint64_t size = uint64_t(v.size);
  std::shared_ptr<BodyStream> stream;
  if (!v.blob_id.empty() || size == 0) {
    std::string path = v.blob_id.empty() ? std::string("/dev/null") : st.blobs->path(v.blob_id);
    stream = s3select::select_object_content(call.input, path, size);
  } else {
    CopiedBlob copy = copy_extents(*st.blobs, object_extents(*st.blobs, v, parts, 0, size), {});
    try {
      stream = s3select::select_object_content(call.input, st.blobs->path(copy.blob_id), copy.size);
    } catch (...) {
      st.blobs->remove(copy.blob_id);
      throw;
    }
    stream = std::make_shared<TemporaryBlobStream>(std::move(stream), st.blobs, copy.blob_id);
  }
  call.response->stream = std::move(stream);
  // AWS answers the event stream as application/octet-stream, chunked.
  call.response->headers.set("Content-Type", "application/octet-stream");
  return Document{};
}

}  // namespace nimbus::s3
