#!/usr/bin/env node
// The `openrcm` command. OpenRCM ships TypeScript source without a build step: register tsx's
// loader, then run the CLI entry point.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
