/** A node of a `LinkedList`; kept by its owner so that removing it is O(1). */
export interface ListNode<T> {
  readonly value: T;
  previous: ListNode<T> | undefined;
  next: ListNode<T> | undefined;
  /** The list holding the node; undefined once removed. */
  list: LinkedList<T> | undefined;
}

/**
 * A doubly linked list: O(1) push, shift and removal of any node. Queued requests leave from the middle
 * (a deadline passes, the caller goes away), which an array would make O(n).
 */
export class LinkedList<T> {
  head: ListNode<T> | undefined;
  tail: ListNode<T> | undefined;
  size = 0;

  push(value: T): ListNode<T> {
    const node: ListNode<T> = { value, previous: undefined, next: undefined, list: undefined };
    this.pushNode(node);
    return node;
  }

  /** Appends a node that belongs to no list (a removed one may be appended again). */
  pushNode(node: ListNode<T>): void {
    node.list = this;
    node.previous = this.tail;
    node.next = undefined;
    if (this.tail === undefined) this.head = node;
    else this.tail.next = node;
    this.tail = node;
    this.size += 1;
  }

  /** Removes the node if it is in this list; false otherwise. */
  remove(node: ListNode<T>): boolean {
    if (node.list !== this) return false;
    if (node.previous === undefined) this.head = node.next;
    else node.previous.next = node.next;
    if (node.next === undefined) this.tail = node.previous;
    else node.next.previous = node.previous;
    node.previous = undefined;
    node.next = undefined;
    node.list = undefined;
    this.size -= 1;
    return true;
  }

  shift(): T | undefined {
    const head = this.head;
    if (head === undefined) return undefined;
    this.remove(head);
    return head.value;
  }
}
