package io.github.regionrouter.spring.acceptance;

import org.springframework.data.jpa.repository.JpaRepository;

/** Spring Data JPA: reads in read-only transactions, saves in writing ones. */
public interface MemoRepository extends JpaRepository<Memo, Long> {
}
