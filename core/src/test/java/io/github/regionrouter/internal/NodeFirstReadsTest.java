package io.github.regionrouter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.regionrouter.NodeRole;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The watch on reads' first statements that the monitor aborts when a poll of the node fails: every watched
 * connection is found, in its thread's slot or in the overflow, and none once unwatched.
 */
class NodeFirstReadsTest {

  private final Node node = new Node(0, new NodeConfig("eu-replica", "eu", "fra", NodeRole.REPLICA, null, null), 0,
      null, null, null);
  private final List<String> aborted = new ArrayList<>();

  /** A connection that only records that it was aborted (the watch calls nothing else). */
  private Connection connection(String name) {
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          if (method.getName().equals("abort")) {
            aborted.add(name);
            return null;
          }
          if (method.getName().equals("hashCode")) {
            return System.identityHashCode(proxy);
          }
          if (method.getName().equals("equals")) {
            return proxy == args[0];
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }

  @Test
  void watchedFirstReads_areAborted_inTheirSlotAndInTheOverflow_andNotOnceUnwatched() throws Exception {
    Connection a = connection("a");
    Connection b = connection("b");
    int slotA = node.watchFirstRead(a);
    int slotB = node.watchFirstRead(b); // same thread, slot taken: the overflow
    assertThat(slotA).isNotEqualTo(Node.OVERFLOW);
    assertThat(slotB).isEqualTo(Node.OVERFLOW);

    Connection[] other = new Connection[1];
    int[] otherSlot = new int[1];
    Thread t = new Thread(() -> {
      other[0] = connection("c");
      otherSlot[0] = node.watchFirstRead(other[0]);
    });
    t.start();
    t.join();

    assertThat(node.abortFirstReads()).isEqualTo(3);
    assertThat(aborted).containsExactlyInAnyOrder("a", "b", "c");

    aborted.clear();
    node.unwatchFirstRead(slotA, a);
    node.unwatchFirstRead(slotB, b);
    node.unwatchFirstRead(otherSlot[0], other[0]);
    assertThat(node.abortFirstReads()).isZero();
    assertThat(aborted).isEmpty();
    assertThat(node.watchFirstRead(b)).as("the slot is free again").isEqualTo(slotA);
  }
}
