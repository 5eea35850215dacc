package io.framewire.mcp;

import io.framewire.eventstore.EventStore;
import io.framewire.jobs.JobService;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.sources.LiveSources;
import io.framewire.video.VideoFilePipelineService;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * framewire as an MCP server (docs/mcp.md): the MCP Java SDK's stateless server with framewire's
 * tools, behind {@link McpHttpTransport}. The SDK runs each call on its bounded-elastic scheduler, so
 * a tool may wait on a pipeline or a query; a tool's {@link ToolError} becomes an {@code isError}
 * result, anything else an {@code internal_error} result whose detail names no class.
 */
public final class FramewireMcp implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FramewireMcp.class);

  /**
   * What the tools read.
   *
   * @param sources the live cameras, empty on a node that runs none
   * @param store the event store, empty when events are off
   * @param frameTimeout how long {@code analyze_image} waits for its pipeline
   * @param maxFramePixels the largest image in pixels (the stream's limit)
   * @param jobs the video analysis jobs, empty without a store
   * @param inputDir the folder {@code analyze_image}'s {@code path} must lie in (the jobs' input
   *     folder); empty: paths are refused
   */
  public record Services(PipelineRegistry pipelines, VideoFilePipelineService video, Optional<LiveSources> sources,
      Optional<EventStore> store, Materializer materializer, Duration frameTimeout, long maxFramePixels,
      Optional<JobService> jobs, Optional<Path> inputDir) {}

  private final McpSettings settings;
  private final McpHttpTransport transport;
  private final McpStatelessSyncServer server;
  private final List<McpTool> tools;

  private FramewireMcp(McpSettings settings, McpHttpTransport transport, McpStatelessSyncServer server,
      List<McpTool> tools) {
    this.settings = settings;
    this.transport = transport;
    this.server = server;
    this.tools = tools;
  }

  public static FramewireMcp start(McpSettings settings, Services services) {
    McpJsonMapper mapper = McpJsonDefaults.getMapper();
    Results results = new Results(mapper);
    ImageInput images = new ImageInput(settings.maxImageBytes(), services.maxFramePixels(), services.inputDir().map(dir -> dir.toAbsolutePath().normalize()));
    List<McpTool> tools = new ArrayList<>();
    tools.addAll(new PipelineTools(services.pipelines(), services.video(), images, services.frameTimeout(), results)
        .tools());
    tools.addAll(new SourceTools(services.sources(), services.store(), services.materializer(), results).tools());
    tools.addAll(new EventTools(services.store(), results).tools());
    tools.addAll(new JobTools(services.jobs(), results).tools());
    McpHttpTransport transport = new McpHttpTransport(mapper);
    McpStatelessSyncServer server = McpServer.sync(transport)
        .serverInfo("framewire", version())
        .instructions("framewire is a video inference server: it runs pipelines of vision tools on images, "
            + "live cameras and video files, and stores the events they raise. Start with list_pipelines and "
            + "list_sources.")
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .jsonMapper(mapper)
        .tools(tools.stream().map(FramewireMcp::specification).toList())
        .build();
    return new FramewireMcp(settings, transport, server, List.copyOf(tools));
  }

  public McpHttpTransport transport() {
    return transport;
  }

  public McpSettings settings() {
    return settings;
  }

  /** The tools' names, in the order {@code tools/list} gives them. */
  public List<String> toolNames() {
    return tools.stream().map(McpTool::name).toList();
  }

  @Override
  public void close() {
    server.close();
  }

  static McpStatelessServerFeatures.SyncToolSpecification specification(McpTool tool) {
    McpSchema.Tool declared = McpSchema.Tool.builder()
        .name(tool.name())
        .title(tool.title())
        .description(tool.description())
        .inputSchema(tool.inputSchema())
        .build();
    return new McpStatelessServerFeatures.SyncToolSpecification(declared, (context, request) ->
        call(tool, request, context.get(Caller.KEY) instanceof Caller caller ? caller : Caller.reader("no caller")));
  }

  /** One call: the tool's result, or its refusal as an {@code isError} result. */
  static McpSchema.CallToolResult call(McpTool tool, McpSchema.CallToolRequest request, Caller caller) {
    try {
      return tool.call().apply(new Args(request.arguments(), caller));
    } catch (ToolError e) {
      return Results.error(e);
    } catch (RuntimeException e) {
      log.warn("mcp: tool {} failed", tool.name(), e);
      return Results.error(new ToolError("internal_error", "the tool failed; the server's log says why"));
    }
  }

  private static String version() {
    String version = FramewireMcp.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
