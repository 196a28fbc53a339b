import { LinkedList, type ListNode } from './linked-list.ts';
import { priorities, priorityLevel, type Priority } from './request-priority.ts';

/** A queued item and what orders it. */
export interface QueueEntry<T> {
  readonly value: T;
  readonly priority: Priority;
  /** The virtual key it belongs to (`''` for none): keys of one class take turns. */
  readonly keyId: string;
  /** When it joined (ms, the queue's clock), for aging. */
  readonly enqueuedAt: number;
}

/** Lets the owner take an entry out before its turn (its deadline passed, its caller left). */
export interface QueueTicket {
  /** True when the entry was still queued and is now removed. */
  remove(): boolean;
}

export interface PriorityQueue<T> {
  push(value: T, priority: Priority, keyId: string, now: number): QueueTicket;
  /** The next entry to serve at `now`, removed; undefined when empty. */
  shift(now: number): QueueEntry<T> | undefined;
  readonly size: number;
  sizeOf(priority: Priority): number;
}

export interface PriorityQueueOptions {
  /**
   * A waiter is promoted one class for each `agingMs` it has waited. Infinity gives strict priority
   * (and lets a saturating high class starve the others for ever).
   */
  agingMs: number;
}

interface Entry<T> extends QueueEntry<T> {
  laneNode: ListNode<Entry<T>> | undefined;
  arrivalNode: ListNode<Entry<T>> | undefined;
}

/** One key's waiters in one class, oldest first, and its place in the class's rotation. */
class Lane<T> {
  readonly keyId: string;
  readonly waiters = new LinkedList<Entry<T>>();
  readonly rotationNode: ListNode<Lane<T>>;

  constructor(keyId: string) {
    this.keyId = keyId;
    this.rotationNode = { value: this, previous: undefined, next: undefined, list: undefined };
  }
}

interface PriorityClass<T> {
  readonly level: number;
  readonly lanes: Map<string, Lane<T>>;
  /** Lanes with waiters, in turn order: the head serves next, then goes to the back. */
  readonly rotation: LinkedList<Lane<T>>;
  /** Every waiter of the class, oldest first: its head's age drives aging. */
  readonly arrivals: LinkedList<Entry<T>>;
}

const newClass = <T>(priority: Priority): PriorityClass<T> => ({
  level: priorityLevel(priority),
  lanes: new Map(),
  rotation: new LinkedList(),
  arrivals: new LinkedList(),
});

const topLevel = priorities.length - 1;

/**
 * Which class serves next. Each class is as urgent as its base level plus one per `agingMs` its oldest
 * waiter has waited (capped at `high`); the most urgent class serves, and between equally urgent
 * classes the one whose oldest waiter has waited longer. So, with nothing aged, high always overtakes
 * normal, which overtakes low; a low waiter can be overtaken for at most about 2 × `agingMs`, a normal
 * one for about 1 × `agingMs`, after which the classes are served oldest-first. Fresh high traffic
 * loses slots only to waiters that old.
 */
const chooseClass = <T>(classes: readonly PriorityClass<T>[], agingMs: number, now: number): PriorityClass<T> | undefined => {
  let chosen: PriorityClass<T> | undefined;
  let chosenUrgency = -1;
  let chosenSince = Number.POSITIVE_INFINITY;
  for (const priorityClass of classes) {
    const oldest = priorityClass.arrivals.head?.value;
    if (oldest === undefined) continue;
    const urgency = Math.min(topLevel, priorityClass.level + Math.floor(Math.max(0, now - oldest.enqueuedAt) / agingMs));
    if (urgency > chosenUrgency || (urgency === chosenUrgency && oldest.enqueuedAt < chosenSince)) {
      chosen = priorityClass;
      chosenUrgency = urgency;
      chosenSince = oldest.enqueuedAt;
    }
  }
  return chosen;
};

const detach = <T>(priorityClass: PriorityClass<T>, entry: Entry<T>): void => {
  const lane = priorityClass.lanes.get(entry.keyId);
  if (lane !== undefined && entry.laneNode !== undefined) {
    lane.waiters.remove(entry.laneNode);
    if (lane.waiters.size === 0) {
      priorityClass.rotation.remove(lane.rotationNode);
      priorityClass.lanes.delete(entry.keyId);
    }
  }
  if (entry.arrivalNode !== undefined) priorityClass.arrivals.remove(entry.arrivalNode);
  entry.laneNode = undefined;
  entry.arrivalNode = undefined;
};

/**
 * Waiting requests in three classes (high, normal, low) with aging (see `chooseClass`), and within a
 * class round-robin across virtual keys: each key with waiters gets one turn in rotation, so a key with
 * a thousand queued requests takes every other slot from a key with ten, not all of them.
 * Push, shift and remove are O(1).
 */
export const createPriorityQueue = <T>(options: PriorityQueueOptions): PriorityQueue<T> => {
  const byPriority: Record<Priority, PriorityClass<T>> = { high: newClass('high'), normal: newClass('normal'), low: newClass('low') };
  // Highest first, so that on a complete tie the higher base class serves.
  const classes = [byPriority.high, byPriority.normal, byPriority.low];
  let size = 0;

  const push = (value: T, priority: Priority, keyId: string, now: number): QueueTicket => {
    const priorityClass = byPriority[priority];
    let lane = priorityClass.lanes.get(keyId);
    if (lane === undefined) {
      lane = new Lane(keyId);
      priorityClass.lanes.set(keyId, lane);
      priorityClass.rotation.pushNode(lane.rotationNode);
    }
    const entry: Entry<T> = { value, priority, keyId, enqueuedAt: now, laneNode: undefined, arrivalNode: undefined };
    entry.laneNode = lane.waiters.push(entry);
    entry.arrivalNode = priorityClass.arrivals.push(entry);
    size += 1;
    return {
      remove() {
        if (entry.arrivalNode === undefined) return false;
        detach(priorityClass, entry);
        size -= 1;
        return true;
      },
    };
  };

  const shift = (now: number): QueueEntry<T> | undefined => {
    const priorityClass = chooseClass(classes, options.agingMs, now);
    const lane = priorityClass?.rotation.head?.value;
    const entry = lane?.waiters.head?.value;
    if (priorityClass === undefined || lane === undefined || entry === undefined) return undefined;
    detach(priorityClass, entry);
    // The key had its turn: to the back of the rotation, if it still has waiters.
    if (priorityClass.lanes.has(lane.keyId)) {
      priorityClass.rotation.remove(lane.rotationNode);
      priorityClass.rotation.pushNode(lane.rotationNode);
    }
    size -= 1;
    return entry;
  };

  return {
    push,
    shift,
    get size() {
      return size;
    },
    sizeOf: (priority) => byPriority[priority].arrivals.size,
  };
};
