// select_object_content(): checks the request, parses and resolves the query, then returns
// a stream that scans the object lazily as the server pulls it, so memory stays flat
// whatever the object's size. Events: Records (about 64 KB each), Cont while scanning
// without output, Progress when asked, then Stats and End; an error met mid-scan becomes
// an error event, as AWS sends it (RESTSelectObjectAppendix.html).
#include "lang/s3select/s3select.h"

#include "lang/s3select/errors.h"
#include "lang/s3select/eval.h"
#include "lang/s3select/event_stream.h"
#include "lang/s3select/json_reader.h"
#include "lang/s3select/request.h"

namespace nimbus::s3select {
namespace {

class SelectStream : public BodyStream {
 public:
  SelectStream(SelectRequest request, std::shared_ptr<const Query> query, std::vector<std::string> header,
               std::unique_ptr<RecordBuffer> input)
      : r_(std::move(request)),
        header_(std::move(header)),
        plan_(query, r_.json_input ? InputFormat::Json : InputFormat::Csv,
              r_.csv.header == CsvInputOptions::Header::Use ? &header_ : nullptr),
        eval_(plan_),
        writer_(r_.output),
        in_(std::move(input)),
        csv_(*in_, r_.csv),
        json_(*in_, r_.json_lines, plan_.query->from_path) {}

  // Called before the stream is handed out: the first record of a CSV file with
  // FileHeaderInfo IGNORE is skipped (USE headers were read by the caller).
  void skip_header() {
    std::vector<std::string_view> fields;
    csv_.next(fields);
  }

  bool next(std::string& chunk) override {
    chunk.clear();
    if (done_) return false;
    try {
      bool more = scan();
      if (!out_.empty()) {
        returned_ += out_.size();
        chunk += records_event(out_);
        out_.clear();
      } else if (more) {
        chunk += cont_event();  // keeps the connection alive while nothing matches
      }
      if (r_.progress && (!more || in_->bytes_processed() - progress_at_ >= kKeepAliveScanBytes)) {
        progress_at_ = in_->bytes_processed();
        chunk += progress_event(in_->bytes_scanned(), in_->bytes_processed(), returned_);
      }
      if (!more) {
        chunk += stats_event(in_->bytes_scanned(), in_->bytes_processed(), returned_);
        chunk += end_event();
        done_ = true;
      }
    } catch (const AwsError& e) {
      if (!out_.empty()) chunk += records_event(out_);  // the records before the bad one
      out_.clear();
      chunk += error_event(e.code, e.message);
      done_ = true;
    }
    return true;
  }

 private:
  bool next_row(Row& row) {
    if (r_.json_input) {
      if (!json_.next(row)) return false;
      return !r_.range_end || json_.record_start() <= *r_.range_end;
    }
    if (!csv_.next(fields_)) return false;
    if (r_.range_end && csv_.record_start() > *r_.range_end) return false;
    row = Row{};
    row.fields = &fields_;
    if (r_.csv.header == CsvInputOptions::Header::Use) row.header = &header_;
    return true;
  }

  // Scans until a Records event is full or a keep-alive is due; false once the input (or
  // the LIMIT) is exhausted and the output of aggregates written.
  bool scan() {
    const Query& q = *plan_.query;
    uint64_t scanned_from = in_->bytes_processed();
    Row row;
    while (out_.size() < kRecordsEventBytes) {
      if (in_->bytes_processed() - scanned_from >= kKeepAliveScanBytes) return true;
      if ((q.limit && emitted_ >= *q.limit) || !next_row(row)) {
        finish_aggregates();
        return false;
      }
      eval_.reset();
      if (!eval_.where(row)) continue;
      if (q.has_aggregates) { eval_.accumulate(row); continue; }
      ++emitted_;
      if (q.select_star) {
        writer_.write_row(row, out_);
      } else {
        values_.clear();
        for (const auto& item : q.items) values_.push_back(eval_.eval(*item.expr, row));
        writer_.write_values(plan_.output_names, values_, out_);
      }
    }
    return true;
  }

  void finish_aggregates() {
    const Query& q = *plan_.query;
    if (!q.has_aggregates || finished_) return;
    finished_ = true;
    if (q.limit && *q.limit == 0) return;
    values_.clear();
    for (const auto& item : q.items) values_.push_back(eval_.finish(*item.expr));
    writer_.write_values(plan_.output_names, values_, out_);
  }

  SelectRequest r_;
  std::vector<std::string> header_;
  Plan plan_;
  Evaluator eval_;
  RecordWriter writer_;
  std::unique_ptr<RecordBuffer> in_;
  CsvReader csv_;
  JsonReader json_;
  std::vector<std::string_view> fields_;
  std::vector<Value> values_;
  std::string out_;
  uint64_t returned_ = 0;
  uint64_t progress_at_ = 0;
  int64_t emitted_ = 0;
  bool finished_ = false;
  bool done_ = false;
};

// The column names of a CSV object with FileHeaderInfo USE: its first record.
std::vector<std::string> read_header(const SelectRequest& r, const std::string& path, uint64_t size) {
  RecordBuffer buf(open_source(path, 0, size, r.compression));
  CsvReader reader(buf, r.csv);
  std::vector<std::string_view> fields;
  std::vector<std::string> header;
  if (reader.next(fields)) header.assign(fields.begin(), fields.end());
  return header;
}

}  // namespace

std::shared_ptr<BodyStream> select_object_content(const Document& input, const std::string& object_path,
                                                  uint64_t object_size) {
  SelectRequest r = parse_select_request(input, object_size);
  std::shared_ptr<const Query> query = parse_query(r.expression);
  std::vector<std::string> header;
  bool use_header = !r.json_input && r.csv.header == CsvInputOptions::Header::Use;
  if (use_header) header = read_header(r, object_path, object_size);

  uint64_t start = std::min(r.range_start, object_size);
  // A record belongs to the range when its first byte does: read from the byte before the
  // range and drop the partial record up to the first delimiter.
  uint64_t read_from = start > 0 ? start - 1 : 0;
  auto buffer = std::make_unique<RecordBuffer>(
      open_source(object_path, read_from, object_size - read_from, r.compression), read_from);
  if (start > 0) {
    std::string_view partial;
    buffer->next_delimited(r.json_input ? std::string_view("\n") : std::string_view(r.csv.record_delimiter), partial);
  }
  bool skip_first = start == 0 && !r.json_input && r.csv.header != CsvInputOptions::Header::None;
  auto stream = std::make_shared<SelectStream>(std::move(r), std::move(query), std::move(header), std::move(buffer));
  if (skip_first) stream->skip_header();
  return stream;
}

}  // namespace nimbus::s3select
