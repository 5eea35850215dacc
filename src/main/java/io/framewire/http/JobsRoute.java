package io.framewire.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.engine.Failures;
import io.framewire.jobs.JobException;
import io.framewire.jobs.JobRequest;
import io.framewire.jobs.JobService;
import io.framewire.jobs.JobStatus;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaType;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.Multipart;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.FileIO;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.util.ByteString;

/**
 * Video analysis jobs (docs/jobs.md): {@code POST /jobs} (JSON naming a file under {@code
 * JOBS_INPUT_DIR} or a URL, or a multipart upload streamed to disk) → 202 with the job's status;
 * {@code GET /jobs}, {@code GET /jobs/{id}}; {@code GET /jobs/{id}/results} (JSON lines, followed
 * while the job runs); {@code DELETE /jobs/{id}} (cancels a queued or running job: 200 with its
 * status; deletes a finished one with its files: 204). Creating and deleting follow {@link
 * AdminAccess}, reading the stream's rule ({@link StreamGuard}).
 */
public final class JobsRoute extends AllDirectives {

  /** JSON lines, one result per line. */
  static final ContentType NDJSON =
      ContentTypes.create(MediaTypes.applicationWithFixedCharset("x-ndjson", HttpCharsets.UTF_8, "ndjson", "jsonl"));
  /** Room for the multipart framing and the small fields next to the file. */
  private static final long FORM_SLACK = 1024 * 1024;
  private static final long FIELD_MAX = 64 * 1024;

  private final JobService jobs;
  private final AdminAccess admin;
  private final StreamGuard reads;
  private final ObjectMapper mapper;

  public JobsRoute(JobService jobs, AdminAccess admin, StreamGuard reads, ObjectMapper mapper) {
    this.jobs = jobs;
    this.admin = admin;
    this.reads = reads;
    this.mapper = mapper;
  }

  public Route route() {
    return pathPrefix("jobs", () -> concat(
        pathEndOrSingleSlash(() -> concat(
            get(() -> reads.guard(() -> onSuccess(jobs.list(),
                list -> json(StatusCodes.OK, Map.of("jobs", list.stream().map(JobStatus::toJson).toList()))))),
            post(() -> admin.guard(this::create)))),
        path(PathMatchers.segment(), id -> concat(
            get(() -> reads.guard(() -> onSuccess(jobs.status(id), status -> status
                .map(s -> json(StatusCodes.OK, s.toJson())).orElseGet(() -> notFound(id))))),
            delete(() -> admin.guard(() -> onSuccess(jobs.cancel(id), removal -> switch (removal) {
              case CANCELLED -> onSuccess(jobs.status(id), status -> status
                  .map(s -> json(StatusCodes.OK, s.toJson())).orElseGet(() -> notFound(id)));
              case DELETED -> complete(StatusCodes.NO_CONTENT);
              case NOT_FOUND -> notFound(id);
            }))))),
        path(PathMatchers.segment().slash("results"), id -> get(() -> reads.guard(() ->
            onSuccess(jobs.status(id), status -> status.isEmpty() ? notFound(id)
                : complete(HttpResponse.create().withEntity(HttpEntities.createChunked(NDJSON, jobs.results(id))))))))));
  }

  /** {@code /jobs} on a server without an event store: jobs are kept there, so every path answers 503. */
  public static Route disabled(ObjectMapper mapper) {
    AllDirectives d = new AllDirectives() {};
    return d.pathPrefix("jobs", () -> d.complete(StatusCodes.SERVICE_UNAVAILABLE,
        Map.of("error", "jobs_unavailable",
            "detail", "jobs need the event store, where they are kept; this server has none "
                + "(framewire.events.enabled = false, EVENTS_ENABLED)"),
        Jackson.marshaller(mapper)));
  }

  private Route create() {
    return extractRequestEntity(entity -> {
      MediaType media = entity.getContentType().mediaType();
      if (media.isMultipart() && media.subType().equals("form-data")) {
        return upload(entity);
      }
      return entity(Unmarshaller.entityToString(), this::createFromJson);
    });
  }

  private Route createFromJson(String body) {
    JsonNode json;
    try {
      json = mapper.readTree(body);
    } catch (Exception e) {
      json = null;
    }
    if (json == null || !json.isObject()) {
      return error(StatusCodes.BAD_REQUEST, "invalid_request", "the body must be a JSON object "
          + "{\"pipeline_id\": \"…\", \"input\": \"file in JOBS_INPUT_DIR or URL\", \"stride\": 1, \"max_frames\": 0}"
          + ", or a multipart/form-data upload with a 'file' field");
    }
    JobRequest request;
    try {
      request = new JobRequest(text(json, "pipeline_id"), text(json, "input"), (int) number(json, "stride", 1,
          Integer.MAX_VALUE), number(json, "max_frames", 0, Long.MAX_VALUE));
    } catch (JobException e) {
      return error(e);
    }
    return submitted(jobs.submit(request));
  }

  private Route upload(RequestEntity entity) {
    long max = jobs.settings().maxUploadBytes();
    OptionalLong length = entity.getContentLengthOption();
    if (length.isPresent() && length.getAsLong() > max + FORM_SLACK) {
      return tooLarge(max); // said up front: nothing read, nothing written
    }
    return withSizeLimit(max + FORM_SLACK, () -> extractMaterializer(materializer ->
        entity(Unmarshaller.entityToMultipartFormData(), form -> onSuccess(receive(form, max, materializer),
            received -> {
              if (received.failure() != null) {
                if (received.upload() != null) {
                  jobs.discard(received.upload());
                }
                return isSizeLimit(received.failure()) ? tooLarge(max)
                    : error(StatusCodes.BAD_REQUEST, "invalid_request",
                        "the upload broke off, or a form field was longer than 64 KiB");
              }
              if (received.upload() == null) {
                return error(StatusCodes.BAD_REQUEST, "invalid_request",
                    "a multipart upload needs a 'file' field (and 'pipeline_id')");
              }
              if (received.tooLarge()) {
                jobs.discard(received.upload());
                return tooLarge(max);
              }
              JobRequest request;
              try {
                Map<String, String> fields = received.fields();
                request = new JobRequest(fields.get("pipeline_id"), null,
                    (int) field(fields, "stride", 1, Integer.MAX_VALUE), field(fields, "max_frames", 0, Long.MAX_VALUE));
              } catch (JobException e) {
                jobs.discard(received.upload());
                return error(e);
              }
              return submitted(jobs.submitUpload(received.upload(), request));
            }))));
  }

  /** What an upload's parts were: the file (written), the other fields, and how it went. */
  private record Received(JobService.Upload upload, Map<String, String> fields, boolean tooLarge, Throwable failure) {}

  /**
   * Reads the parts in order: {@code file} is streamed to its job's directory (bytes past the limit
   * are read and dropped, so the client gets its answer), the others are small text fields.
   */
  private CompletionStage<Received> receive(Multipart.FormData form, long max, Materializer materializer) {
    AtomicReference<JobService.Upload> upload = new AtomicReference<>();
    Map<String, String> fields = new ConcurrentHashMap<>();
    AtomicLong bytes = new AtomicLong();
    AtomicBoolean over = new AtomicBoolean();
    return form.getParts()
        .mapAsync(1, part -> {
          if ("file".equals(part.getName()) && upload.get() != null) {
            return part.getEntity().discardBytes(materializer).completionStage().thenApply(done -> (Object) done);
          }
          if (!"file".equals(part.getName())) {
            // A field is a short text: read whole, but never more than FIELD_MAX (the rest fails the form).
            return part.getEntity().getDataBytes()
                .limitWeighted(FIELD_MAX, chunk -> (long) chunk.size())
                .runFold(ByteString.emptyByteString(), ByteString::concat, materializer)
                .thenApply(value -> {
                  fields.put(part.getName(), value.utf8String());
                  return (Object) value;
                });
          }
          JobService.Upload target = jobs.prepareUpload(part.getFilename().orElse(null));
          upload.set(target);
          return part.getEntity().getDataBytes()
              .filter(chunk -> {
                if (over.get() || bytes.addAndGet(chunk.size()) > max) {
                  over.set(true);
                  return false;
                }
                return true;
              })
              .runWith(FileIO.toPath(target.file()), materializer)
              .thenApply(io -> (Object) io);
        })
        .runWith(Sink.ignore(), materializer)
        .handle((done, failure) -> new Received(upload.get(), fields, over.get(), failure));
  }

  private Route submitted(CompletionStage<JobStatus> submitted) {
    return onComplete(submitted, result -> {
          if (result.isSuccess()) {
            JobStatus status = result.get();
            return respondWithHeader(Location.create("/jobs/" + status.id()),
                () -> json(StatusCodes.ACCEPTED, status.toJson()));
          }
          Throwable cause = Failures.unwrap(result.failed().get());
          if (cause instanceof JobException e) {
            return error(e);
          }
          return error(StatusCodes.SERVICE_UNAVAILABLE, "jobs_unavailable", "the job could not be queued");
        });
  }

  private static boolean isSizeLimit(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof EntityStreamSizeException) {
        return true;
      }
    }
    return false;
  }

  private static String text(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new JobException(400, "invalid_request", field + " must be a string");
    }
    return value.asText();
  }

  private static long number(JsonNode json, String field, long fallback, long max) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 0 || value.asLong() > max) {
      throw new JobException(400, "invalid_request", field + " must be a whole number >= 0");
    }
    return value.asLong();
  }

  private static long field(Map<String, String> fields, String name, long fallback, long max) {
    String value = fields.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      long n = Long.parseLong(value.strip());
      if (n >= 0 && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // below
    }
    throw new JobException(400, "invalid_request", name + " must be a whole number >= 0, got '" + value + "'");
  }

  private Route tooLarge(long max) {
    return error(StatusCodes.PAYLOAD_TOO_LARGE, "too_large",
        "the file is larger than JOBS_MAX_UPLOAD_MB (" + max / (1024 * 1024) + " MB)");
  }

  private Route json(StatusCode status, Object body) {
    return complete(status, body, Jackson.marshaller(mapper));
  }

  private Route notFound(String id) {
    return error(StatusCodes.NOT_FOUND, "not_found", "no job with id '" + id + "'");
  }

  private Route error(JobException e) {
    return error(StatusCodes.get(e.status()), e.error(), e.detail());
  }

  private Route error(StatusCode status, String error, String detail) {
    return json(status, Map.of("error", error, "detail", detail));
  }
}
