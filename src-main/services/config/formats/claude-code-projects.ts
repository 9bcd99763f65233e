import type { ListedServer } from '../config-format';
import { isJsonObject, ownValue, type JsonObject } from '../json-values';

// Claude Code's ~/.claude.json keeps two scopes of servers (Claude Code docs, "MCP" page, "MCP installation
// scopes"): user scope in the top-level "mcpServers", available in every project, and local scope under
// "projects": { "/path/to/project": { "mcpServers": { ... } } }, one set per project folder.

/** The group the top-level servers of a ~/.claude.json are shown under, beside its projects' groups. */
export const USER_SCOPE_GROUP = 'User scope (top-level "mcpServers", every project)';

/** The projects of a ~/.claude.json that have at least one server, as [path, servers], in file order. */
function projectsWithServers(document: JsonObject): Array<[path: string, servers: JsonObject]> {
  const projects = ownValue(document, 'projects');
  if (!isJsonObject(projects)) return [];
  return Object.entries(projects).flatMap(([path, project]): Array<[string, JsonObject]> => {
    const servers = isJsonObject(project) ? ownValue(project, 'mcpServers') : undefined;
    return isJsonObject(servers) && Object.keys(servers).length > 0 ? [[path, servers]] : [];
  });
}

/** Whether the document is a ~/.claude.json with local-scope servers (so it has servers even without top-level ones). */
export function hasProjectServers(document: JsonObject): boolean {
  return projectsWithServers(document).length > 0;
}

/**
 * Every server of a ~/.claude.json: the top-level ones under their own names, then each project's, named with the
 * project (`postgres (my-app)`) so that two projects' "postgres" do not collide, each in a group naming its scope.
 * A project is called by its folder's name, or by as many trailing folders as it takes to tell it from the others.
 * Without project servers the file is listed as any "mcpServers" file (no groups).
 */
export function listClaudeCodeServers(document: JsonObject, topLevel: JsonObject): ListedServer[] {
  const projects = projectsWithServers(document);
  const own = Object.entries(topLevel).map(([server, settings]): ListedServer => ({ server, settings }));
  if (projects.length === 0) return own;
  const shortNames = shortProjectNames(projects.map(([path]) => path));
  return [
    ...own.map((listed) => ({ ...listed, group: USER_SCOPE_GROUP })),
    ...projects.flatMap(([path, servers], index) =>
      Object.entries(servers).map(([server, settings]): ListedServer => ({
        server: `${server.trim()} (${shortNames[index]})`,
        settings,
        group: `Project ${path} (local scope)`,
      })),
    ),
  ];
}

/** `/home/me/my-app` → `my-app`; `/a/app` and `/b/app` → `a/app` and `b/app`. Windows paths split on `\` too. */
export function shortProjectNames(paths: readonly string[]): string[] {
  const parts = paths.map((path) => path.split(/[\\/]+/).filter((part) => part !== ''));
  const depths = parts.map(() => 1);
  const nameAt = (index: number): string => {
    const segments = parts[index] ?? [];
    return segments.length === 0 ? (paths[index] ?? '') : segments.slice(-(depths[index] ?? 1)).join('/');
  };
  // Lengthen every name that is shared until each is unique or as long as its path.
  for (let round = 0; round < 64; round += 1) {
    const names = paths.map((_, index) => nameAt(index));
    let changed = false;
    names.forEach((name, index) => {
      const shared = names.filter((other) => other === name).length > 1;
      if (shared && (depths[index] ?? 1) < (parts[index]?.length ?? 0)) {
        depths[index] = (depths[index] ?? 1) + 1;
        changed = true;
      }
    });
    if (!changed) break;
  }
  return paths.map((path, index) => {
    const name = nameAt(index);
    // Still shared (the same folder written twice, say): the whole path tells them apart.
    return paths.filter((_, other) => nameAt(other) === name).length > 1 ? path : name;
  });
}
