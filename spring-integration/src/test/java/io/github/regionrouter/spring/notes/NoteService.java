package io.github.regionrouter.spring.notes;

import io.github.regionrouter.RegionContext;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Writes and reads notes, and says which kind of node served the read (for the tests). */
@Service
public class NoteService {

  private final NoteRepository repository;

  @PersistenceContext
  private EntityManager entityManager;

  public NoteService(NoteRepository repository) {
    this.repository = repository;
  }

  @Transactional
  public long create(String body) {
    String owner = RegionContext.current().flatMap(RegionContext::subject).orElse("-");
    return repository.save(new Note(owner, body)).getId();
  }

  /** Reads through the repository in a read-only transaction; reports the serving node's port and role. */
  @Transactional(readOnly = true)
  public Map<String, Object> find(long id) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("found", repository.findById(id).map(Note::getBody).orElse(null));
    Object[] node = (Object[]) entityManager.createNativeQuery(
        "select current_setting('port'), pg_is_in_recovery()").getSingleResult();
    answer.put("port", Integer.parseInt(node[0].toString()));
    answer.put("replica", node[1]);
    return answer;
  }
}
