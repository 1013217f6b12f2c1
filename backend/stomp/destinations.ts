/** Where a destination string points; decided once per frame. */
export type DestinationKind = 'app' | 'topic' | 'queue' | 'user' | 'unknown';

export function classifyDestination(destination: string): DestinationKind {
  if (destination.startsWith('/app/')) return 'app';
  if (destination.startsWith('/topic/')) return 'topic';
  if (destination.startsWith('/queue/')) return 'queue';
  if (destination.startsWith('/user/queue/')) return 'user';
  return 'unknown';
}

/** A pattern like `/app/rooms/{id}/join`; `{name}` matches one path segment. */
export interface CompiledRoute<T> {
  readonly pattern: string;
  readonly regex: RegExp;
  readonly names: string[];
  readonly value: T;
}

export class RouteTable<T> {
  private readonly routes: CompiledRoute<T>[] = [];

  add(pattern: string, value: T): this {
    const names: string[] = [];
    const source = pattern
      .split('/')
      .map((part) => {
        const m = /^\{(\w+)\}$/.exec(part);
        if (m === null) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(m[1]!);
        return '([^/]+)';
      })
      .join('/');
    this.routes.push({ pattern, regex: new RegExp(`^${source}$`), names, value });
    return this;
  }

  match(destination: string): { value: T; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      const m = route.regex.exec(destination);
      if (m === null) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = m[i + 1]!;
      });
      return { value: route.value, params };
    }
    return undefined;
  }
}
