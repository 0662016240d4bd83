// Where the frame keeps the anonymous visitor's secret session_id between page
// loads: localStorage under "docent:KEY:session". Sessions of identified
// visitors are never stored: the server resumes them by identity, and a
// stored id could otherwise outlive a logout. Storage can be blocked
// (third-party iframe policies, private modes), so every access is guarded and
// the value is also kept in memory for the life of the frame.

export class SessionStore {
  private memory: string | null = null;
  private saved: string | null = null; // what storage is known to hold
  private readonly name: string;

  constructor(key: string) {
    this.name = "docent:" + key + ":session";
  }

  get(): string | null {
    try {
      this.saved = localStorage.getItem(this.name);
      return this.saved || this.memory;
    } catch {
      return this.memory;
    }
  }

  // clear forgets the stored session (logout, or the visitor got identified).
  clear() {
    this.memory = this.saved = null;
    try {
      localStorage.removeItem(this.name);
    } catch {
      // blocked storage: memory only
    }
  }

  // set stores id, skipping the write when storage already holds it (a
  // resumed visit: the write would only cost the open time).
  set(id: string) {
    this.memory = id;
    if (id === this.saved) return;
    try {
      localStorage.setItem(this.name, id);
      this.saved = id;
    } catch {
      // blocked storage: memory only
    }
  }
}
