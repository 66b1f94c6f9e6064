import type { WebClient } from "@slack/web-api";
import type { RenderedChart } from "../app/chat-sender.ts";

/** A chart as a message shows it: the uploaded file's id (null when there is no image) and its alt text. */
export interface SlackChart {
  /** The chart's content id (`RenderedChart.id`). */
  id: string;
  fileId: string | null;
  altText: string;
}

/**
 * Uploads each rendered chart with files.uploadV2 (getUploadURLExternal, the upload, completeUploadExternal)
 * without sharing it anywhere, so an image block (`slack_file`) can show it inside the message. A chart
 * without an image, or whose upload fails, is shown by its alt text instead.
 */
export async function uploadCharts(
  client: WebClient,
  charts: readonly RenderedChart[],
  onError: (err: unknown, chart: RenderedChart) => void,
): Promise<SlackChart[]> {
  return Promise.all(
    charts.map(async (chart): Promise<SlackChart> => {
      if (!chart.png) return { id: chart.id, fileId: null, altText: chart.altText };
      try {
        const res = (await client.filesUploadV2({
          file: chart.png,
          filename: `chart-${chart.id}.png`,
          title: chart.altText.slice(0, 250),
          alt_text: chart.altText.slice(0, 1000),
        })) as { files?: { files?: { id?: string }[] }[] };
        const id = res.files?.[0]?.files?.[0]?.id ?? null;
        return { id: chart.id, fileId: id, altText: chart.altText };
      } catch (err) {
        onError(err, chart);
        return { id: chart.id, fileId: null, altText: chart.altText };
      }
    }),
  );
}
