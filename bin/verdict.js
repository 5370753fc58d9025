#!/usr/bin/env node
// The only place that calls process.exit: the CLI itself returns exit codes.
import { main } from '../dist/cli/main.js';

process.exit(await main(process.argv.slice(2)));
