package io.github.regionrouter.spring;

import io.github.regionrouter.RegionRoutingDataSource;
import io.github.regionrouter.TopologyStatus;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The Actuator endpoint {@code regionrouter} ({@code /actuator/regionrouter} when exposed): the router's
 * current view of every node — role, up, lag in time and bytes, RTT, WAL position, why excluded — and the
 * write target of every region. Reads the monitor's snapshot; holds no URL or credential.
 */
@Endpoint(id = "regionrouter")
public final class RegionRouterEndpoint {

  private final RegionRoutingDataSource dataSource;

  /** @param dataSource the routing data source */
  public RegionRouterEndpoint(RegionRoutingDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** @return the data source's status snapshot */
  @ReadOperation
  public TopologyStatus status() {
    return dataSource.status();
  }
}
