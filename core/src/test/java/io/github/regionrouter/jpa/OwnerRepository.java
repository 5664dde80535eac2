package io.github.regionrouter.jpa;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Spring Data repository: derived and {@code @Query} methods run without {@code readOnly = true}. */
public interface OwnerRepository extends JpaRepository<Owner, Long> {

  List<Owner> findByName(String name);

  /** Which node served: the server's port. No transaction of its own, so not read-only. */
  @Query(value = "select current_setting('port')::int", nativeQuery = true)
  int servedPort();
}
