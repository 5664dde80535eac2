package io.github.regionrouter.jpa;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.springframework.transaction.annotation.Transactional;

/** The petclinic flows that broke under open-session-in-view (issue 10), each reporting the node that served. */
public class Clinic {

  /** A result and the port of the server that produced it. */
  public record Served<T>(T value, int port) {
  }

  @PersistenceContext
  private EntityManager em;

  private final OwnerRepository owners;

  public Clinic(OwnerRepository owners) {
    this.owners = owners;
  }

  @Transactional(readOnly = true)
  public Served<Owner> findOwner(long id) {
    Owner owner = owners.findById(id).orElseThrow();
    return new Served<>(owner, port());
  }

  @Transactional
  public Served<Long> addPet(long ownerId, String name) {
    Owner owner = owners.findById(ownerId).orElseThrow();
    Pet pet = new Pet(name, owner);
    em.persist(pet);
    em.flush();
    return new Served<>(pet.getId(), port());
  }

  @Transactional(readOnly = true)
  public Served<Long> countPets(long ownerId) {
    Long n = em.createQuery("select count(p) from Pet p where p.owner.id = :id", Long.class)
        .setParameter("id", ownerId).getSingleResult();
    return new Served<>(n, port());
  }

  /** Whether this pet is visible to a read-only transaction, and where that ran. */
  @Transactional(readOnly = true)
  public Served<Boolean> sees(long petId) {
    Long n = em.createQuery("select count(p) from Pet p where p.id = :id", Long.class)
        .setParameter("id", petId).getSingleResult();
    return new Served<>(n == 1, port());
  }

  private int port() {
    return ((Number) em.createNativeQuery("select current_setting('port')::int").getSingleResult()).intValue();
  }
}
