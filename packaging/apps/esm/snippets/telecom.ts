// What README code blocks import as `./telecom.js`: "your defineIntent / defineWorkflow values".
import type { IntentDefinition, WorkflowDefinition } from '@ticketflow/core';

export const intents: IntentDefinition[] = [];
export const workflows: WorkflowDefinition[] = [];
