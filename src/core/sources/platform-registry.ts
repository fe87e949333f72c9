// The trace platforms the product knows. Adding one is its folder under src/core/sources/<id>/
// (descriptor, client, tests) and one line here; the CLI, the extension and the template specs
// find it through this list.
import { langfusePlatform } from './langfuse/langfuse-platform';
import { phoenixPlatform } from './phoenix/phoenix-platform';
import type { PlatformConnection, PlatformDescriptor } from './platform';

export const PLATFORMS: readonly PlatformDescriptor[] = [langfusePlatform, phoenixPlatform];

export function platformIds(): string[] {
  return PLATFORMS.map((p) => p.id);
}

export function findPlatform(id: string): PlatformDescriptor | undefined {
  return PLATFORMS.find((p) => p.id === id);
}

/** The descriptor of a platform id read from a store or a setting; throws on an unknown id. */
export function requirePlatform(id: string): PlatformDescriptor<PlatformConnection> {
  const found = findPlatform(id);
  if (!found) throw new Error(`"${id}" is not a trace platform this version knows (${platformIds().join(', ')}).`);
  return found;
}
