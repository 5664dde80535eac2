package io.github.regionrouter.spring.notes;

import org.springframework.data.jpa.repository.JpaRepository;

/** Spring Data JPA repository: its reads run in read-only transactions (replicas), its saves on primaries. */
public interface NoteRepository extends JpaRepository<Note, Long> {
}
