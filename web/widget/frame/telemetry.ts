// Frame telemetry (POST /widget/telemetry, same origin): the handshake
// latency (ready → ack, PROTOCOL §3) and counts of refused configs by reason
// (SECURITY PM-01). Reports carry numbers only — no channel, visitor or
// origin. A refused message never causes a request by itself: counts are
// batched and sent after a quiet period, at most MAX_REPORTS times per frame,
// so a hostile page posting thousands of messages costs one or two requests.

const QUIET_MS = 1500;
const MAX_REPORTS = 5;

export class Telemetry {
  private handshakeMs: number | null = null;
  private refused: Record<string, number> = {};
  private timer: ReturnType<typeof setTimeout> | undefined;
  private reports = 0;

  constructor() {
    // A frame closed before the quiet period ends still reports.
    addEventListener("pagehide", () => this.flush());
  }

  handshake(ms: number) {
    this.handshakeMs = Math.min(60000, Math.max(0, Math.round(ms * 10) / 10));
    this.schedule();
  }

  refuse(reason: string) {
    this.refused[reason] = Math.min(1000, (this.refused[reason] || 0) + 1);
    this.schedule();
  }

  private schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), QUIET_MS);
  }

  flush() {
    clearTimeout(this.timer);
    const body: Record<string, unknown> = {};
    if (this.handshakeMs !== null) body.handshake_ms = this.handshakeMs;
    if (Object.keys(this.refused).length) body.refused = this.refused;
    if (!Object.keys(body).length || this.reports >= MAX_REPORTS) return;
    this.reports++;
    this.handshakeMs = null;
    this.refused = {};
    fetch("/widget/telemetry", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      keepalive: true,
      credentials: "omit",
    }).catch(() => {});
  }
}
