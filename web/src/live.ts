// The live stream (GET /api/v1/stream, a WebSocket): subscribes by tag pattern, hands samples to
// the caller, and reconnects with backoff when the server goes away.

import { reportReachable, token } from "./api";
import { backoffDelayMs } from "./lib/backoff";

export interface LiveSample {
  tag: string;
  time: number; // epoch ms (the stream is opened with epoch=ms)
  value: unknown;
  quality: string;
}

export interface LiveEventMessage {
  change: "opened" | "updated" | "cleared" | "reopened";
  event: unknown; // an alert event (src/lib/events.ts AlertEvent)
}

export interface LiveHandlers {
  onSamples(samples: LiveSample[]): void;
  onEvent?(msg: LiveEventMessage): void; // with `events` on: alert events as they open, change, clear
  onState?(state: "open" | "closed", retryInMs?: number, attempt?: number): void;
}

export class LiveStream {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private timer: number | undefined;
  private closed = false;

  constructor(
    private patterns: string[],
    private readonly handlers: LiveHandlers,
    private readonly events = false,
  ) {
    this.connect();
  }

  subscribe(patterns: string[]): void {
    this.patterns = patterns;
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(this.events ? { subscribe: patterns, events: true } : { subscribe: patterns }));
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.ws?.close();
  }

  private connect(): void {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const url = `${scheme}://${location.host}/api/v1/stream?epoch=ms&max_rate=20000${this.events ? "&events=true" : ""}`;
    const ws = new WebSocket(url, ["zhizao.v1", `zhizao-token.${token() ?? ""}`]);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      reportReachable(true);
      ws.send(JSON.stringify(this.events ? { subscribe: this.patterns, events: true } : { subscribe: this.patterns }));
      this.handlers.onState?.("open");
    };
    ws.onmessage = (event) => {
      const msg = JSON.parse(String(event.data));
      if (msg.type === "samples") this.handlers.onSamples(msg.samples as LiveSample[]);
      else if (msg.type === "event") this.handlers.onEvent?.(msg as LiveEventMessage);
    };
    ws.onclose = () => {
      if (this.closed) return;
      const delay = backoffDelayMs(this.attempt++);
      reportReachable(false);
      this.handlers.onState?.("closed", delay, this.attempt);
      this.timer = window.setTimeout(() => this.connect(), delay);
    };
  }
}
