import { z } from 'zod';
import type { AttemptCall } from '../../core/pipeline/call-interceptor.ts';

export type Priority = AttemptCall['priority'];

/** The classes, lowest first: a class's index is its level. */
export const priorities = ['low', 'normal', 'high'] as const satisfies readonly Priority[];

/** A key's default priority, for the lead to mount on key metadata beside `keyLimitsSchema`. */
export const prioritySchema = z.enum(priorities);

export const priorityLevel = (priority: Priority): number => priorities.indexOf(priority);

export const isPriority = (value: string): value is Priority => (priorities as readonly string[]).includes(value);
