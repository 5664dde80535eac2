package io.github.regionrouter.jpa;

import jakarta.persistence.EntityManagerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.orm.jpa.support.OpenEntityManagerInViewInterceptor;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Spring MVC with open-in-view on, as Boot's {@code spring.jpa.open-in-view=true} default registers it. */
@Configuration
@EnableWebMvc
public class WebConfig implements WebMvcConfigurer {

  @Autowired
  private EntityManagerFactory emf;

  @Bean
  public ClinicController clinicController(Clinic clinic) {
    return new ClinicController(clinic);
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    OpenEntityManagerInViewInterceptor openInView = new OpenEntityManagerInViewInterceptor();
    openInView.setEntityManagerFactory(emf);
    registry.addWebRequestInterceptor(openInView);
  }
}
