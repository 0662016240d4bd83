// Shapes of the JSON the frame exchanges with the server (PROTOCOL §4, §5).
// Every field is optional on purpose: the frame must survive a server that
// omits one, and it checks types where a wrong one would matter.

export interface Source {
  title?: string;
  url?: string;
  path?: string;
  snippet?: string;
}

export interface ChatMessage {
  id?: string;
  role?: string; // user | assistant | agent | system
  kind?: string; // answer | partial | clarification | escalation | greeting | human | notice | question
  status?: string; // complete | streaming | interrupted | failed
  text?: string;
  created_at?: string;
  sources?: Source[];
}

// SessionResponse is the body of POST /widget/session/init and /session/new.
export interface SessionResponse {
  session_id: string;
  mode?: string;
  identity?: { status?: string; user_id?: string; reason?: string };
  resumed?: boolean;
  status?: string; // open | escalated | closed
  language?: string;
  messages?: ChatMessage[];
  chat_ended?: boolean;
  debug?: Record<string, unknown>; // test persona only: the language decision
  warnings?: string[]; // ignored parts of the request, e.g. "agent_not_allowed"
}

// ChatDone is the non-streaming /widget/chat body and the SSE `done` payload.
export interface ChatDone {
  text?: string;
  session_id?: string;
  chat_ended?: boolean;
  ticket_number?: string | null;
  message_id?: string;
  kind?: string;
  sources?: Source[];
  language?: string;
  debug?: Record<string, unknown>; // test persona only: see qa.ts TurnDebug
}

// WidgetConfig is the published GET /widget/{key}/config.json.
export interface WidgetConfig {
  key?: string;
  version?: number;
  title?: string;
  greeting?: string;
  language?: string;
  position?: string;
  launcher?: { label?: string; iconUrl?: string };
  theme?: { baseColor?: string };
  suggested_questions?: string[];
  persona?: string;
  identity?: { mode?: string; required?: boolean };
  allowed_origins?: string[];
  locales?: string[];
}
